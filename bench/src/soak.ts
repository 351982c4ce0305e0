/**
 * The soak: one whole upload of a huge file (default 250 GiB) through the demo app in a real
 * browser, against the emulator in `discard` storage (it reads, hashes and checks every byte
 * and keeps none, so 250 GiB needs no 250 GiB of disk). About half-way the tab reloads and the
 * upload resumes the way a user does it: the recovery shelf lists it, the same file is picked
 * again. Every `--interval` seconds it samples the page's JS heap (Chromium), the RSS of every
 * browser process, the emulator's RSS, the bytes storage confirmed, React commits and long
 * tasks. At the end: wall time, mean MB/s, the CRC-32C verdict, re-sent bytes against the parts
 * in flight at the reload, memory at 10/50/90/100 % of the bytes, and the samples as JSON and
 * an SVG plot under bench/results/.
 *
 *   pnpm --filter @atai-upload/bench soak [--size 250GiB] [--browsers chromium,firefox]
 *     [--interval 10] [--reload-at 0.5] [--out soak] [--app demo|bare|hook|hook-nocrc|hook-inline]
 *
 * Browsers: `chromium` (Playwright), `chromium-pipe` (a bare DevTools pipe with no Network
 * domain: lib/cdp-pipe.ts), `firefox`. `--app bare` uploads through the bare benchmark page
 * instead of the demo (no library, no checksum, no reload): what the browser itself holds.
 * `--app hook` / `hook-nocrc`: the throughput benchmark's hook page (useMultipartUpload with
 * a progress bar, no panel, no reload), with and without the checksum: which part of the kit
 * holds what the bare page does not.
 *
 * The file is sparse (see lib/sparse-file.ts) with a marker per part, so every part differs.
 * Not part of `npm test`; CI runs it at 2 GiB (`bench smoke`) to prove it still works.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UploadConfig, UploadResult } from '../pages/common.js';
import { argValue, fmtSize, listArg, sizeArg } from './lib/args.js';
import { serveDemoApp } from './lib/demo-app.js';
import { type EmulatorProcess, startEmulatorProcess } from './lib/emulator.js';
import { servePages } from './lib/pages.js';
import { browserProcesses, rssBytes } from './lib/proc.js';
import {
  openSoakPage,
  type PageCounters,
  SOAK_ENGINES,
  type SoakEngine,
  type SoakPage,
} from './lib/soak-page.js';
import { memoryAt, type RunResult, type Sample, type SoakApp, soakPlot } from './lib/soak-plot.js';
import { makeSparseFile } from './lib/sparse-file.js';
import { numArg, RESULTS_DIR, report } from './report.js';

const MiB = 1024 ** 2;
const PART = 8 * MiB; // the emulator's (and the real API's usual) part size
const size = sizeArg('size', 250 * 1024 ** 3);
const intervalS = numArg('interval', 10);
const reloadAt = numArg('reload-at', 0.5);
const engines = listArg('browsers', ['chromium', 'firefox']);
for (const e of engines)
  if (!(SOAK_ENGINES as readonly string[]).includes(e))
    throw new Error(`not a browser: ${e} (${SOAK_ENGINES.join(', ')})`);
const out = argValue('out') ?? 'soak';
/**
 * `demo`: the demo app, the product as a user meets it. `bare`: the bare benchmark page
 * (pages/bare.ts: fetch PUTs of file.slice(), no library, no checksum, no reload since it
 * cannot resume), the control that tells what the browser itself holds per request.
 * `hook`, `hook-nocrc`: the hook page (pages/ours.tsx), the engine without the demo's panel,
 * with and without the checksum worker; `hook-inline`: with the checksum hashed on the page's
 * main thread. No reload either (the page keeps no shelf).
 */
const APPS: readonly SoakApp[] = ['demo', 'bare', 'hook', 'hook-nocrc', 'hook-inline'];
const appArg = argValue('app') ?? 'demo';
if (!(APPS as readonly string[]).includes(appArg))
  throw new Error(`--app is one of ${APPS.join(', ')}, not ${appArg}`);
const app = appArg as SoakApp;
/** The benchmark page a non-demo app runs in, and whether it computes the checksum. */
const benchPage = app === 'bare' ? 'bare' : 'ours';
const integrity = app === 'hook' || app === 'hook-inline';
/** Whether the page sends the whole-file CRC-32C (the demo always does), so it must match. */
const sendsChecksum = app === 'demo' || integrity;
/** No byte confirmed for this long, while bytes are still to come, ends the run as stalled. */
const STALL_MS = 5 * 60_000;
/**
 * Once every byte is stored, complete may still wait for the page's whole-file checksum (the
 * worker hashing parts it has not read yet): allowed this long before the run counts as stuck.
 */
const COMPLETING_LIMIT_MS = 60 * 60_000;
const NAME = 'soak.parquet';
const INPUT = '[data-testid="drop-zone-input"]';

/** The demo panel of the soak file: its `data-state` and text. */
function panelOf(): { state: string | null; text: string; shelf: boolean } {
  const panels = [...document.querySelectorAll('[data-testid="upload-panel"]')];
  const p = panels.find((x) => x.textContent?.includes('soak.parquet'));
  return {
    state: p?.getAttribute('data-state') ?? null,
    text: p?.textContent ?? '',
    shelf: !!p?.closest('[data-testid="recovery-shelf"]'),
  };
}

/**
 * A benchmark page's run as a panel-like state (its `benchRun` promise, started by
 * startBenchRun); the text is the error, or the hook's checksum status once completed.
 */
function benchPageOf(): { state: string | null; text: string; shelf: boolean } {
  const w = window as Window & { __soakResult?: UploadResult };
  const r = w.__soakResult;
  const state = !r ? 'uploading' : r.ok ? 'completed' : 'failed';
  return { state, text: r?.error ?? String(r?.info?.checksum ?? ''), shelf: false };
}

function startBenchRun(cfg: UploadConfig): void {
  const w = window as Window & { __soakResult?: UploadResult };
  void window.benchRun!(cfg).then(
    (r) => {
      w.__soakResult = r;
    },
    (e: unknown) => {
      w.__soakResult = { ok: false, ms: 0, bytes: 0, error: String(e) };
    },
  );
}

/** What the soak reads of the page's upload, for the app under test. */
const readUpload = app === 'demo' ? panelOf : benchPageOf;

function readCounters(): PageCounters {
  const c = (window as Window & { __soak?: PageCounters }).__soak;
  return c ? { ...c } : { commits: 0, longTasks: null, longTaskMs: null };
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function soak(engine: SoakEngine, path: string, appUrl: (emu: EmulatorProcess) => string) {
  const emu = await startEmulatorProcess({ partSize: PART, storage: { kind: 'discard' } });
  const page: SoakPage = await openSoakPage(engine);
  const samples: Sample[] = [];
  // Counters restart with each document: carry the earlier documents' totals across the reload.
  const carried = { commits: 0, longTasks: 0, longTaskMs: 0 };
  let lastCounters: PageCounters = { commits: 0, longTasks: null, longTaskMs: null };
  let reload: RunResult['reload'];
  let t0 = 0;
  try {
    await page.goto(appUrl(emu));
    await waitFor(
      app === 'demo' ? 'the drop zone' : `the ${benchPage} page`,
      30_000,
      async () =>
        (await page.run(
          () =>
            window.benchReady === true ||
            !!document.querySelector('[data-testid="drop-zone-input"]'),
        )) || undefined,
    );
    t0 = Date.now();
    if (app === 'demo') await page.setInputFiles(INPUT, path);
    else {
      await page.setInputFiles('#file', path);
      const cfg: UploadConfig = {
        apiUrl: emu.apiUrl,
        apiKey: emu.apiKey,
        name: NAME,
        concurrency: 4,
        autoConcurrency: false,
        partSize: PART,
        integrity,
        ...(app === 'hook-inline' ? { inlineHasher: true } : {}),
      };
      await page.run(startBenchRun, cfg);
    }
    let lastBytes = 0;
    let lastProgressAt = Date.now();
    let nextSample = Date.now();
    let prev: Sample | undefined;
    let allStoredAt: number | undefined;
    for (;;) {
      const panel = await page.run(readUpload);
      if (panel.state === 'failed') throw new Error(`the upload failed: ${panel.text}`);
      const totals = await emu.totals();
      if (totals.bytesStored > lastBytes) {
        lastBytes = totals.bytesStored;
        lastProgressAt = Date.now();
      }
      if (totals.bytesStored >= size) {
        allStoredAt ??= Date.now();
        if (Date.now() - allStoredAt > COMPLETING_LIMIT_MS) {
          throw new Error(
            `every byte stored ${COMPLETING_LIMIT_MS / 60_000} min ago, still not complete (${panel.state}: ${panel.text})`,
          );
        }
      } else if (Date.now() - lastProgressAt > STALL_MS) {
        throw new Error(
          `stalled: no part stored for ${STALL_MS / 1000} s (${panel.state}: ${panel.text})`,
        );
      }
      const done = panel.state === 'completed';
      if (Date.now() >= nextSample || done) {
        nextSample += intervalS * 1000;
        const counters = await page.run(readCounters);
        lastCounters = counters;
        const procs = browserProcesses(page.browserPid);
        const t = (Date.now() - t0) / 1000;
        const s: Sample = {
          t,
          bytes: totals.bytesStored,
          // Over a full interval only: the last sample, taken at completion, may follow the one
          // before by a second, and bytes come a part (8 MiB) at a time.
          mbps:
            prev && t - prev.t >= intervalS / 2
              ? (totals.bytesStored - prev.bytes) / 1e6 / (t - prev.t)
              : null,
          heap: await page.heapBytes().catch(() => null),
          browserRss: procs.reduce((sum, p) => sum + p.rss, 0),
          browserAnon: procs.reduce((sum, p) => sum + p.anon, 0),
          processes: procs.map(({ role, rss, anon }) => ({ role, rss, anon })),
          emulatorRss: rssBytes(emu.pid),
          commits: carried.commits + counters.commits,
          longTasks: counters.longTasks === null ? null : carried.longTasks + counters.longTasks,
          longTaskMs:
            counters.longTaskMs === null ? null : carried.longTaskMs + counters.longTaskMs,
          state: panel.state,
        };
        samples.push(s);
        prev = s;
        console.log(
          `  ${engine} ${(t / 60).toFixed(1)} min: ${fmtSize(s.bytes)} (${((100 * s.bytes) / size).toFixed(1)} %), ` +
            `${s.mbps?.toFixed(0) ?? '–'} MB/s, browser RSS ${(s.browserRss / MiB).toFixed(0)} MiB` +
            `${s.heap === null ? '' : `, heap ${(s.heap / MiB).toFixed(1)} MiB`}, emulator ${(s.emulatorRss / MiB).toFixed(0)} MiB, ` +
            `${s.commits} commits${s.longTasks === null ? '' : `, ${s.longTasks} long tasks`}, ${s.state}`,
        );
      }
      if (done) break;
      if (app === 'demo' && !reload && totals.bytesStored >= reloadAt * size) {
        reload = await reloadAndResume(page, emu, path, t0);
        carried.commits += lastCounters.commits;
        carried.longTasks += lastCounters.longTasks ?? 0;
        carried.longTaskMs += lastCounters.longTaskMs ?? 0;
        lastCounters = { commits: 0, longTasks: null, longTaskMs: null };
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    return await finish(engine, emu, page, t0, samples, reload, allStoredAt);
  } catch (err) {
    const shot = join(RESULTS_DIR, `${out}-${engine}-error.png`);
    await page.screenshot(shot).catch(() => {});
    const acc = await emu.totals().catch(() => undefined);
    return {
      engine,
      app,
      ok: false,
      error: `${String(err)} (screenshot ${shot})`,
      wallS: (Date.now() - t0) / 1000,
      mbps: 0,
      crc: 'not reached',
      resentBytes: acc?.resentBytes ?? 0,
      wastedBytes: acc?.wastedBytes ?? 0,
      reload,
      ...memoryAt(samples, size),
      completeS: null,
      samples,
    } satisfies RunResult;
  } finally {
    await page.close().catch(() => {});
    await emu.close();
  }
}

/**
 * Reloads the tab mid-upload and resumes it as a user would: the shelf lists the interrupted
 * upload (from IndexedDB, before any pick), then the same file is picked again.
 */
async function reloadAndResume(
  page: SoakPage,
  emu: EmulatorProcess,
  path: string,
  t0: number,
): Promise<NonNullable<RunResult['reload']>> {
  const acc = await emu.accounting();
  const [uploadId] = Object.keys(acc.parts);
  const before = acc.parts[uploadId!] ?? {};
  const atS = (Date.now() - t0) / 1000;
  const began = Date.now();
  await page.reload();
  // The parts on the wire during the reload: those open when it was decided, and those the
  // old page began before it unloaded (the new page sends nothing before the file is picked).
  const after = (await emu.accounting()).parts[uploadId!] ?? {};
  const inFlightParts = Object.entries(after)
    .filter(([n, p]) => {
      const b = before[Number(n)];
      return !b || p.puts > b.puts || b.puts > b.ended;
    })
    .map(([n]) => Number(n));
  console.log(
    `  reload at ${(atS / 60).toFixed(1)} min, ${fmtSize(acc.bytesStored)} stored, parts on the wire: ${inFlightParts.join(', ')}`,
  );
  await waitFor('the shelf to list the interrupted upload', 120_000, async () => {
    const p = await page.run(panelOf);
    return p.shelf && p.state === 'interrupted' ? p : undefined;
  });
  const shelfMs = Date.now() - began;
  await page.screenshot(join(RESULTS_DIR, `${out}-${page.engine}-shelf.png`));
  await page.setInputFiles(INPUT, path);
  await waitFor('the upload to run again', 120_000, async () => {
    const p = await page.run(panelOf);
    if (p.state === 'failed') throw new Error(`resume failed: ${p.text}`);
    return p.state === 'uploading' || p.state === 'completed' ? p : undefined;
  });
  const resumeMs = Date.now() - began;
  console.log(`  shelf after ${shelfMs} ms, uploading again after ${resumeMs} ms`);
  return { atS, bytes: acc.bytesStored, inFlightParts, shelfMs, resumeMs };
}

async function finish(
  engine: SoakEngine,
  emu: EmulatorProcess,
  page: SoakPage,
  t0: number,
  samples: Sample[],
  reload: RunResult['reload'],
  allStoredAt: number | undefined,
): Promise<RunResult> {
  const wallS = (Date.now() - t0) / 1000;
  const acc = await emu.totals();
  const panel = await page.run(readUpload);
  await page.screenshot(join(RESULTS_DIR, `${out}-${engine}-done.png`));
  const ids = Object.keys((await emu.accounting()).parts);
  const uploads = await Promise.all(ids.map((id) => emu.upload(id)));
  const completed = uploads.filter((u) => u.status === 'completed');
  // The emulator compared the page's whole-file CRC-32C with the one it combined from the
  // parts it hashed; a mismatch would have left the upload `corrupt` and the panel failed.
  // The demo's panel says "Verified"; the hook page reports the snapshot's checksum status.
  const verified = app === 'demo' ? panel.text.includes('Verified') : panel.text === 'verified';
  const crc = !sendsChecksum
    ? `none sent (the ${app} page computes no checksum)`
    : completed.length === 1 && verified
      ? 'matched (the emulator verified the whole-file CRC-32C the page sent)'
      : `NOT verified: ${uploads.map((u) => u.status).join(', ')}; page: ${panel.text}`;
  const { milestones, flat } = memoryAt(samples, size);
  return {
    engine,
    app,
    ok: completed.length === 1,
    wallS,
    mbps: size / 1e6 / wallS,
    crc,
    resentBytes: acc.resentBytes,
    wastedBytes: acc.wastedBytes,
    reload,
    milestones,
    flat,
    completeS: allStoredAt === undefined ? null : (Date.now() - allStoredAt) / 1000,
    samples,
  };
}

console.log(
  `soak: ${fmtSize(size)} (${Math.ceil(size / PART)} parts of ${fmtSize(PART)}) through the ${app === 'demo' ? `demo, reload at ${reloadAt * 100} %` : `${app} page, no reload`}, ` +
    `sample every ${intervalS} s, in ${engines.join(' then ')}`,
);
mkdirSync(RESULTS_DIR, { recursive: true });
const file = makeSparseFile(size, PART, NAME);
console.log(`  sparse file: ${fmtSize(size)} long, ${fmtSize(file.diskBytes)} on disk`);
const demo = app === 'demo' ? await serveDemoApp() : await servePages([benchPage]);
const appUrl = (emu: EmulatorProcess) =>
  'urlFor' in demo ? demo.urlFor(emu.apiUrl, emu.apiKey) : `${demo.url}/${benchPage}.html`;
const results: RunResult[] = [];
try {
  for (const engine of engines as SoakEngine[]) {
    const r = await soak(engine, file.path, appUrl);
    results.push(r);
    const svg = join(RESULTS_DIR, `${out}-${engine}.svg`);
    writeFileSync(svg, soakPlot(r, size, intervalS));
    console.log(`  ${engine}: ${r.ok ? 'completed' : `FAILED: ${r.error}`}; plot ${svg}`);
  }
} finally {
  await demo.close();
  file.remove();
}

const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)} %`);
const mib = (v: number | null) => (v === null ? 'n/a' : (v / MiB).toFixed(v < 100 * MiB ? 1 : 0));
const rows = results.flatMap((r) => [
  {
    browser: r.engine,
    completed: r.ok,
    'wall time min': (r.wallS / 60).toFixed(1),
    'mean MB/s': r.mbps.toFixed(1),
    'CRC-32C': r.crc.split(' (')[0]!,
    're-sent MiB': (r.resentBytes / MiB).toFixed(0),
    'in flight at reload': r.reload
      ? `${r.reload.inFlightParts.length} parts (${fmtSize(r.reload.inFlightParts.length * PART)})`
      : 'no reload',
    'shelf / resumed after reload s': r.reload
      ? `${(r.reload.shelfMs / 1000).toFixed(1)} / ${(r.reload.resumeMs / 1000).toFixed(1)}`
      : '–',
    'browser RSS MiB at 10/50/90/100 %': r.milestones.map((m) => mib(m.browserRss)).join(' / '),
    'browser anon RSS MiB at 10/50/90/100 %': r.milestones
      .map((m) => mib(m.browserAnon ?? null))
      .join(' / '),
    'JS heap MiB at 10/50/90/100 %': r.milestones.map((m) => mib(m.heap)).join(' / '),
    'emulator RSS MiB at 10/50/90/100 %': r.milestones.map((m) => mib(m.emulatorRss)).join(' / '),
    'spread browser RSS / anon / heap': `${pct(r.flat.browserRss)} / ${pct(r.flat.browserAnon ?? null)} / ${pct(r.flat.heap)}`,
    'last byte → completed s': r.completeS == null ? '–' : r.completeS.toFixed(1),
    'React commits': r.samples.at(-1)?.commits ?? 0,
    'long tasks (ms)':
      r.samples.at(-1)?.longTasks === null
        ? 'n/a'
        : `${r.samples.at(-1)?.longTasks ?? 0} (${(r.samples.at(-1)?.longTaskMs ?? 0).toFixed(0)})`,
  },
]);
report(out, rows, { size, partSize: PART, intervalS, reloadAt, results });
// Where the browser's memory is: the same milestones per process role.
for (const r of results) {
  const roles = [...new Set(r.milestones.flatMap((m) => Object.keys(m.roles ?? {})))].sort();
  console.log(
    `${r.engine}: RSS (anonymous RSS) MiB per process role at 10/50/90/100 % of the bytes`,
  );
  for (const role of roles) {
    const at = r.milestones.map(
      (m) => `${mib(m.roles?.[role] ?? null)} (${mib(m.rolesAnon?.[role] ?? null)})`,
    );
    console.log(`  ${role.padEnd(18)} ${at.join(' / ')}`);
  }
}
const failed = results.filter(
  (r) =>
    !r.ok ||
    (sendsChecksum && !r.crc.startsWith('matched')) ||
    (r.reload && r.resentBytes > r.reload.inFlightParts.length * PART),
);
for (const r of failed)
  console.error(`soak ${r.engine}: ${r.error ?? r.crc}; re-sent ${r.resentBytes} B`);
process.exit(failed.length > 0 ? 1 : 0);
