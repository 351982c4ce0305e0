/**
 * End-to-end throughput on loopback: a generated file through the emulator (in its
 * own process) with each server part size, by
 *   - limit: a Node process doing the same parallel PUTs, no browser (the ceiling here),
 *   - bare page: the same flow in the same Chromium with no library (`fetch` PUTs of
 *     `file.slice()` parts): the anchor every browser figure is divided by, since what a
 *     browser client costs beyond it is the client's own work,
 *   - ours: `useMultipartUpload` in headless Chromium, CRC-32C on and off,
 *   - Uppy 5.1 `@uppy/aws-s3` with custom functions, and Uppy 6.3 (signRequest),
 *   - naive: sequential `fetch` PUTs.
 * Every run must complete on the server; the first run of each client and part size is
 * also checked byte for byte (SHA-256 of the stored file). Runs are interleaved.
 *
 *   pnpm --filter @atai-upload/bench throughput [--size 2GiB] [--runs 3] [--part-sizes 8MiB,64MiB]
 *     [--concurrency 4] [--clients limit,bare,ours,ours-nocrc,uppy5,uppy6,naive] [--verify first|all|none]
 *     [--bandwidth 25MB] (per-connection cap in the emulator: a network-bound upload)
 *     [--driver playwright|pipe] (pipe: Chromium over a bare DevTools pipe, no Network domain)
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeTempFile, sha256File } from '@atai-upload/test-support';
import { fmtSize, listArg, sizeArg, sizeListArg, strArg } from './lib/args.js';
import { startEmulatorProcess } from './lib/emulator.js';
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
const size = sizeArg('size', 2 * 1024 * MiB);
const runs = numArg('runs', 3);
const partSizes = sizeListArg('part-sizes', [8 * MiB, 64 * MiB]);
const concurrency = numArg('concurrency', 4);
const clients = listArg('clients', [
  'limit',
  'bare',
  'ours',
  'ours-nocrc',
  'uppy5',
  'uppy6',
  'naive',
]);
const verify = strArg('verify', 'first');
// How Chromium is driven: Playwright, or a bare DevTools pipe with no Network domain (the
// control for what the harness itself costs).
const driver = strArg('driver', 'playwright');
if (driver !== 'playwright' && driver !== 'pipe') throw new Error(`unknown driver ${driver}`);
// A per-connection cap (the emulator's bandwidth knob), to see a network-bound upload.
const bandwidth = sizeArg('bandwidth', 0);
// Added before every request (ms): with the cap, a far-away store, where more connections win.
const latency = numArg('latency', 0);
for (const c of clients) if (!isClient(c)) throw new Error(`unknown client ${c}`);
const chosen = clients as ClientName[];

console.log(
  `throughput: ${fmtSize(size)} file, part sizes ${partSizes.map(fmtSize).join(' and ')}, concurrency ${concurrency}, ` +
    `${runs} runs each (interleaved), clients ${chosen.join(', ')}` +
    (bandwidth > 0
      ? `, storage capped at ${(bandwidth / 1e6).toFixed(0)} MB/s per connection`
      : '') +
    (latency > 0 ? `, ${latency} ms latency per request` : '') +
    (driver === 'pipe' ? ', Chromium driven over a bare DevTools pipe (no Network domain)' : ''),
);
const path = await makeTempFile(size, 'bench-throughput.parquet');
const sha = verify === 'none' ? undefined : await sha256File(path);
const pageNames = [
  ...new Set(chosen.map((c) => CLIENTS[c].page).filter((p): p is PageName => !!p)),
];
const pages = await servePages(pageNames);

type Runs = Record<string, RunOutcome[]>;
const byPart = new Map<number, Runs>();
try {
  for (const partSize of partSizes) {
    const emu = await startEmulatorProcess({
      partSize,
      bandwidthBytesPerSec: bandwidth,
      latencyMs: latency,
    });
    const results: Runs = Object.fromEntries(chosen.map((c) => [c, []]));
    byPart.set(partSize, results);
    try {
      for (let r = 0; r < runs; r++) {
        // Rotate the order so no client always runs first (or right after a slow one).
        const order = chosen.map((_, i) => chosen[(i + r) % chosen.length]!);
        for (const client of order) {
          const name = `tp-${client}-${partSize / MiB}m-${r}.parquet`;
          const checkSha = verify === 'all' || (verify === 'first' && r === 0);
          const out = await runUpload({
            client,
            emu,
            pages,
            path,
            size,
            name,
            concurrency,
            driver,
            ...(checkSha && sha ? { sha256: sha } : {}),
          });
          results[client]!.push(out);
          console.log(
            `  ${fmtSize(partSize)} parts, run ${r + 1}/${runs}, ${client}: ${out.mbps.toFixed(0)} MB/s ` +
              `(${out.seconds.toFixed(2)} s, client CPU ${out.clientCpuSeconds.toFixed(1)} s, emulator CPU ${out.emulatorCpuSeconds.toFixed(1)} s${out.shaChecked ? ', SHA-256 ok' : ''})`,
          );
          await cleanUp(emu);
        }
      }
    } finally {
      await emu.close();
    }
  }
} finally {
  await pages.close();
  rmSync(dirname(path), { recursive: true, force: true });
}

const pass = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const rows: Array<Record<string, string | number | boolean>> = [];
const targets: Array<Record<string, string | number | boolean>> = [];
const summary: Record<string, Stat> = {};
for (const [partSize, results] of byPart) {
  const mb = (c: ClientName) => stat(results[c]!.map((o) => o.mbps));
  const limit = chosen.includes('limit') ? mb('limit').median : Number.NaN;
  const bare = chosen.includes('bare') ? results.bare! : undefined;
  // Runs are interleaved, so run i of a client pairs with run i of the bare page: the
  // ratio per pair cancels most of what other jobs on the machine did at that moment.
  const perPair = (c: ClientName) =>
    bare ? stat(results[c]!.map((o, i) => o.mbps / bare[i]!.mbps)) : undefined;
  // On two shared cores the wall time follows whoever else is busy; the CPU a client
  // spends per byte follows only its own work.
  const cpuPerPair = (c: ClientName) =>
    bare
      ? stat(results[c]!.map((o, i) => o.clientCpuSeconds / bare[i]!.clientCpuSeconds))
      : undefined;
  for (const c of chosen) {
    const s = mb(c);
    const pair = perPair(c);
    summary[`${c}@${partSize / MiB}MiB`] = s;
    if (pair && c !== 'bare') summary[`${c}/bare@${partSize / MiB}MiB`] = pair;
    rows.push({
      'part size': fmtSize(partSize),
      client: CLIENTS[c].label,
      'MB/s median (min–max, n)': fmt(s, 0),
      '× bare page (per pair: median, min–max)': pair
        ? `${pair.median.toFixed(2)} (${pair.min.toFixed(2)}–${pair.max.toFixed(2)})`
        : '–',
      '× limit': Number.isNaN(limit) ? '–' : (s.median / limit).toFixed(2),
      'client CPU s': stat(results[c]!.map((o) => o.clientCpuSeconds)).median.toFixed(1),
      'CPU × bare page': (() => {
        const p = cpuPerPair(c);
        return p && c !== 'limit'
          ? `${p.median.toFixed(2)} (${p.min.toFixed(2)}–${p.max.toFixed(2)})`
          : '–';
      })(),
      'emulator CPU s': stat(results[c]!.map((o) => o.emulatorCpuSeconds)).median.toFixed(1),
      'SHA-256 checked': results[c]!.filter((o) => o.shaChecked).length,
    });
  }
  // The bar is the browser itself: ≥ 0.95× the bare page with the checksum off, ≥ 0.85× on;
  // when the network is the bottleneck, ≥ 0.99× either way.
  for (const [c, floor] of [
    ['ours-nocrc', bandwidth > 0 ? 0.99 : 0.95],
    ['ours', bandwidth > 0 ? 0.99 : 0.85],
  ] as const) {
    const pair = chosen.includes(c) ? perPair(c) : undefined;
    if (!pair) continue;
    targets.push({
      'part size': fmtSize(partSize),
      target: `${c === 'ours' ? 'ours (CRC-32C on)' : 'ours (CRC-32C off)'} ≥ ${floor}× bare page`,
      measured: `${pair.median.toFixed(2)}× per pair (${pair.min.toFixed(2)}–${pair.max.toFixed(2)}); medians ${mb(c).median.toFixed(0)} vs ${mb('bare').median.toFixed(0)} MB/s`,
      result: pass(pair.median >= floor),
    });
  }
  if (!chosen.includes('ours')) continue;
  // Uppy computes no checksum: compare our default (CRC-32C on) and the same work (off).
  for (const u of ['uppy5', 'uppy6'] as const) {
    if (!chosen.includes(u)) continue;
    const theirs = mb(u);
    for (const c of ['ours', 'ours-nocrc'] as const) {
      if (!chosen.includes(c)) continue;
      const s = mb(c);
      targets.push({
        'part size': fmtSize(partSize),
        target: `${c === 'ours' ? 'ours (CRC-32C on)' : 'ours (CRC-32C off, as Uppy)'} ≥ ${u === 'uppy5' ? 'Uppy 5.1' : 'Uppy 6.3'}`,
        measured: `${(s.median / theirs.median).toFixed(2)} × (${s.median.toFixed(0)} vs ${theirs.median.toFixed(0)} MB/s)`,
        // Below the median but within the other's spread is a tie, not a win.
        result:
          s.median >= theirs.median
            ? 'PASS'
            : s.max >= theirs.min
              ? 'TIE (spreads overlap)'
              : 'MISS',
      });
    }
  }
  if (chosen.includes('ours-nocrc')) {
    // Runs are interleaved, so run i with CRC on pairs with run i with CRC off.
    const on = results.ours!;
    const off = results['ours-nocrc']!;
    const cost = stat(
      on.map((o, i) => (o.seconds - off[i]!.seconds) / off[i]!.seconds).map((x) => x * 100),
    );
    const med =
      ((stat(on.map((o) => o.seconds)).median - stat(off.map((o) => o.seconds)).median) /
        stat(off.map((o) => o.seconds)).median) *
      100;
    summary[`checksumCostPercent@${partSize / MiB}MiB`] = cost;
    targets.push({
      'part size': fmtSize(partSize),
      target: 'CRC-32C adds < 5% wall time',
      measured: `${med.toFixed(1)}% (medians); per run pair ${fmt(cost, 1, '%')}`,
      result: pass(med < 5),
    });
  }
}
report('throughput', rows, {
  fileBytes: size,
  bandwidthBytesPerSecPerConnection: bandwidth,
  latencyMs: latency,
  driver,
  runs,
  concurrency,
  partSizes,
  cores: (await import('node:os')).availableParallelism(),
  targets,
  summary,
  raw: Object.fromEntries([...byPart].map(([p, r]) => [`${p / MiB}MiB`, r])),
});
console.table(targets);
