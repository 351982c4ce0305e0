/**
 * Memory during an upload: the page's peak JS heap (CDP Performance.getMetrics,
 * JSHeapUsedSize of the main thread, sampled every 200 ms) and the peak summed RSS
 * (VmRSS) of every Chromium process (also PSS, which counts shared pages once), for a
 * small and a large file, ours vs Uppy. Every page is a React app showing progress.
 * Growth = peak − the value sampled just before the upload started (after a forced GC);
 * the heap kept = the heap after a forced GC once the upload is done, minus that baseline.
 * Flat in file size means the large file's peaks are within 25% of the small one's.
 * A fresh browser per run; every run must complete on the server.
 *
 * Firefox ESR too (`--browsers`), since Firefox users report memory blow-ups with other
 * uploaders (amplify-js#10874, whose pages read whole parts into memory): Firefox has no CDP, so
 * its figures are the peak summed RSS and PSS of every Firefox process (parent, content,
 * socket, utility), sampled from /proc every 200 ms the same way.
 *
 *   pnpm --filter @atai-upload/bench memory [--sizes 256MiB,2GiB] [--runs 3] [--part-size 8MiB]
 *     [--concurrency 4] [--clients ours,ours-nocrc,uppy5,uppy6] [--browsers chromium,firefox]
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeTempFile } from '@atai-upload/test-support';
import { fmtSize, listArg, sizeArg, sizeListArg } from './lib/args.js';
import { startEmulatorProcess } from './lib/emulator.js';
import type { ProcessMemory } from './lib/firefox.js';
import { type PageName, servePages } from './lib/pages.js';
import {
  CLIENTS,
  type ClientName,
  cleanUp,
  isClient,
  type RunOutcome,
  runUpload,
} from './lib/runner.js';
import { fmt, numArg, report, type Stat, stat } from './report.js';

const MiB = 1024 ** 2;
const sizes = sizeListArg('sizes', [256 * MiB, 2048 * MiB]);
const runs = numArg('runs', 3);
const partSize = sizeArg('part-size', 8 * MiB);
const concurrency = numArg('concurrency', 4);
const clients = listArg('clients', ['ours', 'ours-nocrc', 'uppy5', 'uppy6']);
for (const c of clients)
  if (!isClient(c) || !CLIENTS[c].page) throw new Error(`not a browser client: ${c}`);
const chosen = clients as ClientName[];
type BrowserName = 'chromium' | 'firefox';
const browsers = listArg('browsers', ['chromium', 'firefox']);
for (const b of browsers)
  if (b !== 'chromium' && b !== 'firefox') throw new Error(`not a browser: ${b}`);
const engines = browsers as BrowserName[];

console.log(
  `memory: sizes ${sizes.map(fmtSize).join(' and ')}, ${fmtSize(partSize)} parts, concurrency ${concurrency}, ${runs} runs, clients ${chosen.join(', ')}, in ${engines.join(' and ')}`,
);
const pages = await servePages([...new Set(chosen.map((c) => CLIENTS[c].page as PageName))]);
const emu = await startEmulatorProcess({ partSize });
const results = new Map<string, RunOutcome[]>();
const key = (c: ClientName, size: number, b: BrowserName = 'chromium') => `${b}:${c}@${size}`;
try {
  for (const size of sizes) {
    const path = await makeTempFile(size, 'bench-memory.parquet');
    try {
      for (let r = 0; r < runs; r++) {
        const order = chosen.map((_, i) => chosen[(i + r) % chosen.length]!);
        for (const browser of engines) {
          for (const client of order) {
            const out = await runUpload({
              client,
              emu,
              pages,
              path,
              size,
              name: `mem-${browser}-${client}-${size}-${r}.parquet`,
              concurrency,
              memory: true,
              browser,
            });
            const list = results.get(key(client, size, browser)) ?? [];
            list.push(out);
            results.set(key(client, size, browser), list);
            const at = `  ${fmtSize(size)}, run ${r + 1}/${runs}, ${browser} ${client}:`;
            const m = out.memory;
            const f = out.processMemory;
            if (m) {
              console.log(
                `${at} heap peak ${(m.peakHeap / MiB).toFixed(1)} MiB ` +
                  `(baseline ${(m.baselineHeap / MiB).toFixed(1)}), RSS peak ${(m.peakRss / MiB).toFixed(0)} MiB ` +
                  `(baseline ${(m.baselineRss / MiB).toFixed(0)}), ${out.mbps.toFixed(0)} MB/s, ${m.samples} samples`,
              );
            } else if (f) {
              console.log(
                `${at} RSS peak ${(f.peakRss / MiB).toFixed(0)} MiB (baseline ${(f.baselineRss / MiB).toFixed(0)}, ` +
                  `${f.processes} processes), PSS peak ${(f.peakPss / MiB).toFixed(0)} MiB, ` +
                  `${out.mbps.toFixed(0)} MB/s, ${f.samples} samples`,
              );
            }
            await cleanUp(emu);
          }
        }
      }
    } finally {
      rmSync(dirname(path), { recursive: true, force: true });
    }
  }
} finally {
  await emu.close();
  await pages.close();
}

const mem = (c: ClientName, size: number, f: (o: RunOutcome) => number): Stat =>
  stat(results.get(key(c, size))!.map((o) => f(o) / MiB));
const heap = (o: RunOutcome) => o.memory!.peakHeap;
const rss = (o: RunOutcome) => o.memory!.peakRss;
const rows = sizes.flatMap((size) =>
  (engines.includes('chromium') ? chosen : []).map((c) => ({
    browser: 'Chromium',
    file: fmtSize(size),
    client: CLIENTS[c].label,
    'peak JS heap MiB (min–max, n)': fmt(mem(c, size, heap), 1),
    'heap growth MiB': mem(
      c,
      size,
      (o) => o.memory!.peakHeap - o.memory!.baselineHeap,
    ).median.toFixed(1),
    // After a forced GC, the page still showing the finished upload: what the upload keeps.
    'retained heap growth MiB (after GC)': mem(
      c,
      size,
      (o) => o.memory!.retainedHeap - o.memory!.baselineHeap,
    ).median.toFixed(2),
    'peak RSS MiB, all processes (min–max, n)': fmt(mem(c, size, rss), 0),
    'RSS growth MiB': mem(c, size, (o) => o.memory!.peakRss - o.memory!.baselineRss).median.toFixed(
      0,
    ),
    'peak PSS MiB': mem(c, size, (o) => o.memory!.peakPss).median.toFixed(0),
    'MB/s': stat(results.get(key(c, size))!.map((o) => o.mbps)).median.toFixed(0),
  })),
);
// Firefox: the process tree's memory only (no CDP heap, no forced GC).
const fx = (c: ClientName, size: number, f: (m: ProcessMemory) => number): Stat =>
  stat(results.get(key(c, size, 'firefox'))!.map((o) => f(o.processMemory!) / MiB));
const fxRss = (m: ProcessMemory) => m.peakRss;
if (engines.includes('firefox')) {
  for (const size of sizes) {
    for (const c of chosen) {
      rows.push({
        browser: 'Firefox ESR',
        file: fmtSize(size),
        client: CLIENTS[c].label,
        'peak JS heap MiB (min–max, n)': 'n/a',
        'heap growth MiB': 'n/a',
        'retained heap growth MiB (after GC)': 'n/a',
        'peak RSS MiB, all processes (min–max, n)': fmt(fx(c, size, fxRss), 0),
        'RSS growth MiB': fx(c, size, (m) => m.peakRss - m.baselineRss).median.toFixed(0),
        'peak PSS MiB': fx(c, size, (m) => m.peakPss).median.toFixed(0),
        'MB/s': stat(results.get(key(c, size, 'firefox'))!.map((o) => o.mbps)).median.toFixed(0),
      });
    }
  }
}

const pass = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const targets: Array<Record<string, string>> = [];
const small = Math.min(...sizes);
const large = Math.max(...sizes);
if (chosen.includes('ours') && small !== large && engines.includes('chromium')) {
  for (const [what, f] of [
    ['JS heap', heap],
    ['browser RSS', rss],
  ] as const) {
    const ratio = mem('ours', large, f).median / mem('ours', small, f).median;
    targets.push({
      target: `ours: peak ${what} flat in file size (${fmtSize(large)} ≤ 1.25 × ${fmtSize(small)})`,
      measured: `${ratio.toFixed(2)} × (${mem('ours', large, f).median.toFixed(1)} vs ${mem('ours', small, f).median.toFixed(1)} MiB)`,
      result: pass(ratio <= 1.25),
    });
  }
}
for (const u of ['uppy5', 'uppy6'] as const) {
  if (!chosen.includes('ours') || !chosen.includes(u) || !engines.includes('chromium')) continue;
  for (const [what, f] of [
    ['JS heap', heap],
    ['browser RSS', rss],
  ] as const) {
    const ours = mem('ours', large, f).median;
    const theirs = mem(u, large, f).median;
    targets.push({
      target: `ours: less peak ${what} than ${u === 'uppy5' ? 'Uppy 5.1' : 'Uppy 6.3'} at ${fmtSize(large)}`,
      measured: `${ours.toFixed(1)} vs ${theirs.toFixed(1)} MiB`,
      result: pass(ours < theirs),
    });
  }
}
if (engines.includes('firefox') && chosen.includes('ours')) {
  const big = fx('ours', large, fxRss).median;
  if (small !== large) {
    const ratio = big / fx('ours', small, fxRss).median;
    targets.push({
      target: `ours in Firefox: peak RSS flat in file size (${fmtSize(large)} ≤ 1.25 × ${fmtSize(small)})`,
      measured: `${ratio.toFixed(2)} × (${big.toFixed(0)} vs ${fx('ours', small, fxRss).median.toFixed(0)} MiB)`,
      result: pass(ratio <= 1.25),
    });
  }
  for (const u of ['uppy5', 'uppy6'] as const) {
    if (!chosen.includes(u)) continue;
    const theirs = fx(u, large, fxRss).median;
    targets.push({
      target: `ours in Firefox: less peak RSS than ${u === 'uppy5' ? 'Uppy 5.1' : 'Uppy 6.3'} at ${fmtSize(large)}`,
      measured: `${big.toFixed(0)} vs ${theirs.toFixed(0)} MiB`,
      result: pass(big < theirs),
    });
  }
}
report('memory', rows, {
  browsers: engines,
  sizes,
  partSize,
  runs,
  concurrency,
  targets,
  raw: Object.fromEntries(results),
});
console.table(targets);
