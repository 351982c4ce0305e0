/**
 * Where a browser upload spends its CPU. One upload per client through the emulator, with
 *   - every Chromium thread's CPU time (from /proc, before and after), grouped by process
 *     role and thread name: the page's main thread, the CRC worker, the network service,
 *     the browser process's threads that read the file…;
 *   - a sampling CPU profile of the page's main thread (DevTools protocol `Profiler`), the
 *     pages built unminified so each sample is charged to the source module it ran
 *     (node_modules packages and the kit's files), plus V8's own (program) and GC rows.
 * Runs are interleaved and repeated; the figures are per upload, medians over the runs.
 *
 *   pnpm --filter @atai-upload/bench profile [--size 512MiB] [--part-size 8MiB] [--runs 2]
 *     [--clients bare,ours-nocrc,ours] [--concurrency 4]
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeTempFile } from '@atai-upload/test-support';
import type { Page } from 'playwright-core';
import { fmtSize, listArg, sizeArg } from './lib/args.js';
import { startEmulatorProcess } from './lib/emulator.js';
import { type PageName, servePages } from './lib/pages.js';
import { threadCpuSeconds } from './lib/proc.js';
import { CLIENTS, type ClientName, cleanUp, isClient, runUpload } from './lib/runner.js';
import { numArg, report, stat } from './report.js';

const MiB = 1024 ** 2;
const size = sizeArg('size', 512 * MiB + 4321);
const partSize = sizeArg('part-size', 8 * MiB);
const runs = numArg('runs', 2);
const concurrency = numArg('concurrency', 4);
const clients = listArg('clients', ['bare', 'ours-nocrc', 'ours']);
for (const c of clients) if (!isClient(c) || !CLIENTS[c].page) throw new Error(`not a page: ${c}`);
const chosen = clients as ClientName[];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** For one bundle: the first line of each module (esbuild's `// path` comments), in order. */
function moduleIndex(source: string): Array<{ line: number; module: string }> {
  const out: Array<{ line: number; module: string }> = [];
  source.split('\n').forEach((text, line) => {
    const m = /^\s*\/\/ (\S+\.(?:[cm]?[jt]sx?))$/.exec(text);
    if (m) out.push({ line, module: shortModule(m[1]!) });
  });
  return out;
}

/** `../node_modules/.pnpm/axios@1.2/node_modules/axios/lib/x.js` → `axios`; kit files keep their path. */
function shortModule(path: string): string {
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  return path.replace(/^(\.\.\/)+/, '');
}

/** Main-thread self time (ms) per module, and per V8 pseudo-node. */
function attribute(
  profile: CpuProfile,
  sources: Map<string, Array<{ line: number; module: string }>>,
): Map<string, number> {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const out = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = byNode.get(id)!.callFrame;
    let key = f.functionName.startsWith('(') ? f.functionName : `native: ${f.functionName}`;
    const mods = f.url ? sources.get(new URL(f.url).pathname) : undefined;
    if (mods) {
      let lo = 0;
      let hi = mods.length - 1;
      key = '(bundle prelude)';
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (mods[mid]!.line <= f.lineNumber) {
          key = mods[mid]!.module;
          lo = mid + 1;
        } else hi = mid - 1;
      }
    } else if (f.url) key = `(other script)`;
    out.set(key, (out.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return out;
}

console.log(
  `profile: ${fmtSize(size)} file, ${fmtSize(partSize)} parts, concurrency ${concurrency}, ${runs} runs of ${chosen.join(', ')}`,
);
const path = await makeTempFile(size, 'bench-profile.parquet');
const pages = await servePages([...new Set(chosen.map((c) => CLIENTS[c].page!))] as PageName[], {
  minify: false,
});
const modules = new Map([...pages.sources].map(([p, src]) => [p, moduleIndex(src)]));
const threads = Object.fromEntries(chosen.map((c) => [c, [] as Array<Map<string, number>>]));
const main = Object.fromEntries(chosen.map((c) => [c, [] as Array<Map<string, number>>]));
const seconds = Object.fromEntries(chosen.map((c) => [c, [] as number[]]));
const emu = await startEmulatorProcess({ partSize });
try {
  for (let r = 0; r < runs; r++) {
    for (const client of chosen.map((_, i) => chosen[(i + r) % chosen.length]!)) {
      const instrument = async (page: Page, pid: number) => {
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
        await cdp.send('Profiler.start');
        const before = threadCpuSeconds(pid);
        return async () => {
          const after = threadCpuSeconds(pid);
          const { profile } = (await cdp.send('Profiler.stop')) as unknown as {
            profile: CpuProfile;
          };
          await cdp.detach();
          const diff = new Map<string, number>();
          for (const [k, v] of after) diff.set(k, v - (before.get(k) ?? 0));
          threads[client]!.push(diff);
          main[client]!.push(attribute(profile, modules));
        };
      };
      const out = await runUpload({
        client,
        emu,
        pages,
        path,
        size,
        name: `prof-${client}-${r}.parquet`,
        concurrency,
        instrument,
      });
      seconds[client]!.push(out.seconds);
      console.log(`  run ${r + 1}/${runs}, ${client}: ${out.mbps.toFixed(0)} MB/s`);
      await cleanUp(emu);
    }
  }
} finally {
  await emu.close();
  await pages.close();
  rmSync(dirname(path), { recursive: true, force: true });
}

/** Median over runs of each key, keys above `floor`, largest first. */
function medians(list: Array<Map<string, number>>, floor: number): Array<[string, number]> {
  const keys = new Set(list.flatMap((m) => [...m.keys()]));
  return [...keys]
    .map((k) => [k, stat(list.map((m) => m.get(k) ?? 0)).median] as [string, number])
    .filter(([, v]) => v >= floor)
    .sort((a, b) => b[1] - a[1]);
}

const rows: Array<Record<string, string | number>> = [];
const extra: Record<string, unknown> = { fileBytes: size, partSize, runs, concurrency };
for (const c of chosen) {
  const t = medians(threads[c]!, 0.05);
  const m = medians(main[c]!, 20);
  extra[c] = { seconds: seconds[c], threads: t, mainThreadMs: m };
  for (const [k, v] of t)
    rows.push({ client: c, where: `CPU s: ${k}`, value: Number(v.toFixed(2)) });
  for (const [k, v] of m)
    rows.push({ client: c, where: `main thread ms: ${k}`, value: Number(v.toFixed(0)) });
}
report('profile', rows, extra);
