/**
 * CRC-32C speed: our in-browser path (the engine's Web Worker, each part streamed into one
 * reused 1 MiB buffer through hash-wasm, per-part CRCs combined) against hash-wasm on the whole
 * file in one buffer, the main-thread fallback, and a native Node CRC-32C
 * (`@node-rs/crc32`, SSE4.2) as the ceiling. Every path must give the same CRC.
 * The package's two kernels side by side: the worker path with WASM forced and with the
 * JavaScript kernel forced (what a page whose CSP refuses WebAssembly runs), runs interleaved
 * and the order of the two alternating from run to run; and each kernel alone on 32 MiB in
 * memory, in Chromium and in Node, as short alternating trials (`--pairs` per run), which
 * hold up better than long runs on a machine other work shares. JS ÷ WASM is taken per pair.
 * And the worker's ways to read a part (`blob.stream()`, `FileReaderSync`, sliced
 * `arrayBuffer()` reads), the order rotating from run to run, and the file read alone
 * (`blob.stream()`, not hashed). Each browser row also gives the CPU the whole browser spent
 * (every process: the file is read in the browser process and piped to the page), per GiB:
 * on a machine whose cores the upload already fills, that CPU is what the checksum costs.
 * The wall-time cost of checksumming during an upload comes from throughput.json
 * (ours with CRC on vs off), when that benchmark has run.
 *
 *   pnpm --filter @atai-upload/bench crc [--size 2GiB] [--runs 3] [--part-size 8MiB] [--whole 2GiB]
 *     [--pairs 8] [--throughput-results throughput]
 */
import { createReadStream, existsSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type Crc32cBlobRead, crc32cSync } from '@atai-upload/crc32c';
import { makeTempFile } from '@atai-upload/test-support';
import { crc32c } from '@node-rs/crc32';
import { crc32 } from 'hash-wasm';
import type { CrcRequest, CrcResult } from '../pages/crc.js';
import { fmtSize, sizeArg, strArg } from './lib/args.js';
import { launchBenchBrowser } from './lib/browser.js';
import { servePages } from './lib/pages.js';
import { fmt, numArg, RESULTS_DIR, report, type Stat, stat } from './report.js';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const size = sizeArg('size', 2048 * MiB);
const runs = numArg('runs', 3);
const partSize = sizeArg('part-size', 8 * MiB);
const wholeWanted = Math.min(sizeArg('whole', size), size);
const memBytes = Math.min(256 * MiB, size);
/** Bytes per trial of the kernels-alone comparison, and trials of each kernel per run. */
const kernelBytes = Math.min(32 * MiB, size);
const pairsPerRun = numArg('pairs', 8);
/** The worker's read methods compared on the worker path (each part read once, hashed). */
const READS: ReadonlyArray<{ read: Crc32cBlobRead; chunkBytes: number; label: string }> = [
  { read: 'stream', chunkBytes: 2 * MiB, label: 'read: blob.stream() (1 MiB reused buffer)' },
  { read: 'sync', chunkBytes: 1 * MiB, label: 'read: FileReaderSync, 1 MiB at a time' },
  { read: 'sync', chunkBytes: 4 * MiB, label: 'read: FileReaderSync, 4 MiB at a time' },
  { read: 'slices', chunkBytes: 4 * MiB, label: 'read: slice().arrayBuffer(), 4 MiB at a time' },
];

console.log(`crc: ${fmtSize(size)} file, ${fmtSize(partSize)} parts, ${runs} runs each`);
const path = await makeTempFile(size, 'bench-crc.parquet');

interface Row {
  label: string;
  bytes: number;
  ms: number[];
  crc: number;
  note: string;
  extra?: Record<string, Stat>;
  /** Browser rows: CPU seconds of the whole browser (every process) per run. */
  cpuS?: number[];
  /** A row that reads without hashing: no CRC to check. */
  unhashed?: boolean;
}
const rows: Row[] = [];
const mbps = (bytes: number, ms: number) => bytes / (ms / 1000) / 1e6;
/** The JS and WASM rows of one path, measured in the same runs. */
const pairs: Array<{ path: string; js: Row; wasm: Row }> = [];
/** A row of the kernels-alone comparison: `kernelBytes` per trial. */
const kernelRow = (label: string, note: string): Row => ({
  label: `${label}, ${fmtSize(kernelBytes)} in memory, short alternating trials`,
  bytes: kernelBytes,
  ms: [],
  crc: 0,
  note,
});
/** Which kernel goes first alternates, so neither always gets the warmer cache. */
const kernelOrder = (turn: number) =>
  turn % 2 === 0 ? (['wasm', 'js'] as const) : (['js', 'wasm'] as const);

try {
  // Native ceiling, streamed from the file (page cache) like a browser reads a File.
  const nativeFile: Row = {
    label: 'native Node CRC-32C (@node-rs/crc32), file streamed in 8 MiB reads',
    bytes: size,
    ms: [],
    crc: 0,
    note: 'ceiling',
  };
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    let c = 0;
    for await (const chunk of createReadStream(path, { highWaterMark: 8 * MiB }))
      c = crc32c(chunk as Buffer, c);
    nativeFile.ms.push(performance.now() - t0);
    nativeFile.crc = c >>> 0;
  }
  rows.push(nativeFile);

  // Kernels alone, on a buffer already in memory.
  const buf = Buffer.alloc(memBytes);
  {
    const fd = await import('node:fs/promises').then((f) => f.open(path));
    await fd.read(buf, 0, memBytes, 0);
    await fd.close();
  }
  const prefixCrc = crc32c(buf) >>> 0;
  const nativeMem: Row = {
    label: `native Node CRC-32C, ${fmtSize(memBytes)} already in memory`,
    bytes: memBytes,
    ms: [],
    crc: prefixCrc,
    note: 'kernel only',
  };
  const wasmNode: Row = {
    label: `hash-wasm crc32(…, 0x82F63B78) in Node, ${fmtSize(memBytes)} in memory`,
    bytes: memBytes,
    ms: [],
    crc: 0,
    note: 'the WASM kernel the browser uses',
  };
  const jsNode = kernelRow('JS kernel (crc32cSync, slice-by-16) in Node', 'no WebAssembly');
  const wasmNodeTrials = kernelRow('hash-wasm in Node', 'the same, in trials beside JS');
  const slice = buf.subarray(0, kernelBytes);
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    crc32c(buf);
    nativeMem.ms.push(performance.now() - t0);
    const t1 = performance.now();
    wasmNode.crc = Number.parseInt(await crc32(buf, 0x82f63b78), 16) >>> 0;
    wasmNode.ms.push(performance.now() - t1);
    for (let p = 0; p < pairsPerRun; p++) {
      for (const kernel of kernelOrder(p)) {
        const t2 = performance.now();
        if (kernel === 'wasm') {
          wasmNodeTrials.crc = Number.parseInt(await crc32(slice, 0x82f63b78), 16) >>> 0;
          wasmNodeTrials.ms.push(performance.now() - t2);
        } else {
          jsNode.crc = crc32cSync(slice);
          jsNode.ms.push(performance.now() - t2);
        }
      }
    }
  }
  rows.push(nativeMem, wasmNode, wasmNodeTrials, jsNode);
  pairs.push({ path: `Node, ${fmtSize(kernelBytes)} in memory`, js: jsNode, wasm: wasmNodeTrials });
  const kernelCrc = crc32c(slice) >>> 0;

  // The browser paths.
  const pages = await servePages(['crc']);
  const b = await launchBenchBrowser();
  try {
    const page = await b.browser.newPage();
    await page.goto(`${pages.url}/crc.html`);
    await page.waitForFunction(() => window.benchReady === true);
    await page.setInputFiles('#file', path);
    const call = (req: CrcRequest) => page.evaluate((q) => window.benchCrc!(q), req);
    const worker: Row = {
      label:
        'ours: engine CRC worker, the file streamed once (1 MiB reused buffer), a CRC per part, combined',
      bytes: size,
      ms: [],
      crc: 0,
      note: 'what an upload runs',
    };
    const inline: Row = {
      label: 'engine inline hasher (main thread), per part, combined',
      bytes: size,
      ms: [],
      crc: 0,
      note: 'fallback without workers',
    };
    const workerKernel = (kernel: 'wasm' | 'js'): Row => ({
      label: `the same worker path, ${kernel === 'js' ? 'JS kernel (slice-by-16)' : 'WASM kernel'} forced`,
      bytes: size,
      ms: [],
      crc: 0,
      note: kernel === 'js' ? "what runs under a CSP without 'wasm-unsafe-eval'" : 'hash-wasm',
    });
    const workerWasm = workerKernel('wasm');
    const workerJs = workerKernel('js');
    // How the worker reads each part (issue 12: the checksum's cost is this second read).
    const reads = READS.map(({ read, chunkBytes, label }) => ({
      read,
      chunkBytes,
      row: {
        label: `the same worker path, WASM kernel, ${label}`,
        bytes: size,
        ms: [],
        crc: 0,
        note: read === 'sync' ? 'workers only' : '',
      } as Row,
    }));
    const memoryWasm = kernelRow('WASM kernel alone in Chromium (main thread)', 'no file read');
    const memoryJs = kernelRow('JS kernel alone in Chromium (main thread)', 'no file read');
    const measure = async (row: Row, req: CrcRequest) => {
      const cpu0 = b.cpuSeconds();
      const res: CrcResult = await call(req);
      const cpu = b.cpuSeconds() - cpu0;
      if (!res.ok) throw new Error(`${req.mode} ${req.kernel ?? ''}: ${res.error}`);
      row.ms.push(res.ms);
      row.crc = res.crc;
      row.cpuS ??= [];
      row.cpuS.push(cpu);
    };
    const readAlone: Row = {
      label:
        'the file read alone: blob.stream() into a reused 1 MiB buffer, not hashed (main thread)',
      bytes: size,
      ms: [],
      crc: 0,
      note: 'the second read by itself',
      unhashed: true,
    };
    for (let r = 0; r < runs; r++) {
      await measure(worker, { mode: 'worker', partSize, bytes: size });
      for (const kernel of kernelOrder(r)) {
        await measure(kernel === 'js' ? workerJs : workerWasm, {
          mode: 'worker-kernel',
          kernel,
          partSize,
          bytes: size,
        });
      }
      // Each read method in turn, the order rotating from run to run.
      for (let i = 0; i < reads.length; i++) {
        const { read, chunkBytes, row } = reads[(i + r) % reads.length]!;
        await measure(row, {
          mode: 'worker-kernel',
          kernel: 'wasm',
          read,
          chunkBytes,
          partSize,
          bytes: size,
        });
      }
      await measure(inline, { mode: 'inline', partSize, bytes: size });
      await measure(readAlone, { mode: 'read', partSize, bytes: size });
      const res = await call({ mode: 'kernels', pairs: pairsPerRun, partSize, bytes: kernelBytes });
      if (!res.ok || !res.kernelMs) throw new Error(`kernels: ${res.error}`);
      memoryWasm.ms.push(...res.kernelMs.wasm);
      memoryJs.ms.push(...res.kernelMs.js);
      memoryWasm.crc = memoryJs.crc = res.crc;
    }
    rows.push(
      worker,
      workerWasm,
      workerJs,
      ...reads.map((x) => x.row),
      inline,
      readAlone,
      memoryWasm,
      memoryJs,
    );
    pairs.push(
      { path: `Chromium worker path, ${fmtSize(size)} file`, js: workerJs, wasm: workerWasm },
      {
        path: `Chromium main thread, ${fmtSize(kernelBytes)} in memory`,
        js: memoryJs,
        wasm: memoryWasm,
      },
    );

    // hash-wasm on the whole file in one ArrayBuffer: try the whole size, then 256 MiB.
    let wholeBytes = wholeWanted;
    let first = await call({ mode: 'whole', partSize, bytes: wholeBytes });
    let note = 'read into one ArrayBuffer, then hashed';
    if (!first.ok && wholeBytes > memBytes) {
      note = `${fmtSize(wholeBytes)} in one ArrayBuffer failed (${first.error}); ${fmtSize(memBytes)} instead`;
      wholeBytes = memBytes;
      first = await call({ mode: 'whole', partSize, bytes: wholeBytes });
    }
    if (!first.ok) throw new Error(`whole: ${first.error}`);
    const all = [first];
    for (let r = 1; r < runs; r++) {
      const res = await call({ mode: 'whole', partSize, bytes: wholeBytes });
      if (!res.ok) throw new Error(`whole: ${res.error}`);
      all.push(res);
    }
    rows.push({
      label: `hash-wasm crc32(file, 0x82F63B78) on the whole ${fmtSize(wholeBytes)} in the browser (read + hash)`,
      bytes: wholeBytes,
      ms: all.map((x) => x.ms),
      crc: first.crc,
      note,
    });
    rows.push({
      label: '… of which the hash alone',
      bytes: wholeBytes,
      ms: all.map((x) => x.hashMs ?? 0),
      crc: first.crc,
      note: `reading took ${stat(all.map((x) => x.readMs ?? 0)).median.toFixed(0)} ms`,
    });
  } finally {
    await b.close();
    await pages.close();
  }

  // Every path must agree with the native CRC of the same bytes.
  const expect = (bytes: number) =>
    bytes === size
      ? nativeFile.crc
      : bytes === memBytes
        ? prefixCrc
        : bytes === kernelBytes
          ? kernelCrc
          : Number.NaN;
  for (const r of rows) {
    if (r.unhashed) continue;
    if (r.crc !== expect(r.bytes))
      throw new Error(
        `${r.label}: CRC ${r.crc.toString(16)} ≠ native ${expect(r.bytes).toString(16)}`,
      );
  }
} finally {
  rmSync(dirname(path), { recursive: true, force: true });
}

const ceiling = stat(rows[0]!.ms.map((ms) => mbps(rows[0]!.bytes, ms))).median;
const ours = stat(rows.find((r) => r.label.startsWith('ours'))!.ms.map((ms) => mbps(size, ms)));
const table = rows.map((r) => {
  const s = stat(r.ms.map((ms) => mbps(r.bytes, ms)));
  return {
    path: r.label,
    bytes: fmtSize(r.bytes),
    'MB/s median (min–max, n)': fmt(s, 0),
    '× native (file)': (s.median / ceiling).toFixed(2),
    '× ours': (s.median / ours.median).toFixed(2),
    'browser CPU s per GiB': r.cpuS ? fmt(stat(r.cpuS.map((c) => c / (r.bytes / GiB))), 2) : '–',
    note: r.note,
  };
});

// The wall-time cost during a real upload, measured by the throughput benchmark.
const tpFile = join(RESULTS_DIR, `${strArg('throughput-results', 'throughput')}.json`);
const cost: Array<Record<string, string>> = [];
if (existsSync(tpFile)) {
  const tp = JSON.parse(readFileSync(tpFile, 'utf8')) as {
    fileBytes: number;
    summary: Record<string, Stat>;
  };
  for (const [k, v] of Object.entries(tp.summary)) {
    if (!k.startsWith('checksumCostPercent@')) continue;
    cost.push({
      upload: `${fmtSize(tp.fileBytes)}, ${k.split('@')[1]} parts (${basename(tpFile)})`,
      'CRC on vs off, per run pair': fmt(v, 1, '%'),
      target: '< 5%',
      result: v.median < 5 ? 'PASS' : 'MISS',
    });
  }
}
// JS ÷ WASM per run or trial pair (both measured back to back), and the ratio of the medians.
const kernels = pairs.map(({ path, js, wasm }) => {
  const perRun = stat(js.ms.map((ms, i) => wasm.ms[i]! / ms));
  const med = (r: Row) => stat(r.ms.map((ms) => mbps(r.bytes, ms))).median;
  return {
    path,
    'WASM MB/s median': med(wasm).toFixed(0),
    'JS MB/s median': med(js).toFixed(0),
    'JS ÷ WASM per pair, median (min–max, n)': fmt(perRun, 2),
    'JS ÷ WASM of the medians': (med(js) / med(wasm)).toFixed(2),
  };
});
report('crc', table, {
  fileBytes: size,
  partSize,
  runs,
  crc: rows[0]!.crc.toString(16),
  checksumCost: cost,
  kernels,
});
console.table(kernels);
if (cost.length) console.table(cost);
else console.log('(run the throughput benchmark for the checksum cost during an upload)');
