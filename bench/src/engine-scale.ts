/**
 * Engine overhead at 250 GB scale: a 250 GiB, 32,000-part upload through the
 * real engine on a transport that moves no bytes. Prints time and heap per
 * part event per quarter of the upload (flat means O(1) bookkeeping), store
 * updates, and the size of the state a UI subscribes to. One more run under V8's
 * sampling heap profiler (node:inspector, objects later collected by minor and major
 * GCs included) gives the bytes allocated per part event and where.
 *
 *   pnpm --filter @atai-upload/bench engine [--parts 32000] [--runs 3]
 */
import { Session } from 'node:inspector/promises';
import {
  createMemoryStorage,
  createResumeStore,
  createUploadController,
} from '@atai-upload/engine';
import { QueryClient } from '@tanstack/query-core';
import { fakePartHasher, fakeTransport, hollowFile } from './fake-transport.js';
import { fmt, numArg, report, stat } from './report.js';

const PART = 8 * 1024 * 1024;
const parts = numArg('parts', 32_000);
const runs = numArg('runs', 3);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) console.warn('run with --expose-gc for heap figures');

interface RunResult {
  seconds: number;
  usPerPart: number[];
  heapMiB: number[];
  storeUpdates: number;
  snapshotBytes: number;
  checkpoints: number;
  mutationsInCache: number;
}

async function once(): Promise<RunResult> {
  const { api, storage, stats } = fakeTransport(PART);
  const queryClient = new QueryClient();
  const c = createUploadController({
    api,
    partUploader: storage,
    queryClient,
    concurrency: 8,
    resumeStore: createResumeStore({ storage: createMemoryStorage() }),
    partHasher: fakePartHasher(),
    checkpointBatchSize: 16,
  });
  let storeUpdates = 0;
  c.store.subscribe(() => storeUpdates++);
  const quarter = Math.ceil(parts / 4);
  const marks: Array<{ t: number; heap: number }> = [];
  const mark = () => {
    gc?.();
    marks.push({ t: performance.now(), heap: process.memoryUsage().heapUsed });
  };
  let seen = 0;
  let nextMark = quarter;
  const t0 = performance.now();
  mark();
  const done = new Promise<void>((resolve) => {
    c.store.subscribe((s) => {
      if (s.status === 'completed' || s.status === 'failed') resolve();
    });
  });
  const size = parts * PART;
  const unsub = c.store.subscribe((s) => {
    seen = s.progress.partsDone;
    while (seen >= nextMark && nextMark <= parts) {
      mark();
      nextMark += quarter;
    }
  });
  await c.start(hollowFile(size, 'bench-250g.parquet'));
  await done;
  unsub();
  const seconds = (performance.now() - t0) / 1000;
  if (c.getSnapshot().status !== 'completed')
    throw new Error(`run failed: ${c.getSnapshot().error?.message}`);
  while (marks.length < 5) mark();
  const usPerPart: number[] = [];
  const heapMiB: number[] = [];
  for (let i = 1; i < marks.length && i <= 4; i++) {
    usPerPart.push(((marks[i]!.t - marks[i - 1]!.t) * 1000) / quarter);
    heapMiB.push(marks[i]!.heap / 2 ** 20);
  }
  const { progress, ...rest } = c.getSnapshot();
  const snapshotBytes = JSON.stringify({ ...rest, progress, error: undefined }).length;
  const result = {
    seconds,
    usPerPart,
    heapMiB,
    storeUpdates,
    snapshotBytes,
    checkpoints: stats.checkpoints,
    mutationsInCache: queryClient.getMutationCache().getAll().length,
  };
  c.dispose();
  queryClient.clear();
  return result;
}

const results: RunResult[] = [];
for (let i = 0; i < runs; i++) results.push(await once());

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

/** One more upload under the sampling heap profiler: every byte allocated, by function. */
async function allocations(): Promise<{
  bytes: number;
  top: Array<{ where: string; bytes: number }>;
}> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  await once();
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as {
    profile: { head: ProfileNode };
  };
  await session.post('HeapProfiler.disable');
  session.disconnect();
  const byWhere = new Map<string, number>();
  let bytes = 0;
  const walk = (n: ProfileNode) => {
    bytes += n.selfSize;
    if (n.selfSize > 0) {
      // Line numbers of tsx-compiled sources are not the TypeScript ones: name the file only.
      const file = n.callFrame.url.replace(/^.*\/(packages|node_modules|bench)\//, '$1/');
      const where = `${n.callFrame.functionName || '(anonymous)'} (${file || 'native'})`;
      byWhere.set(where, (byWhere.get(where) ?? 0) + n.selfSize);
    }
    for (const c of n.children) walk(c);
  };
  walk(profile.head);
  const top = [...byWhere]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([where, b]) => ({ where, bytes: b }));
  return { bytes, top };
}
const alloc = await allocations();

const q = (k: 'usPerPart' | 'heapMiB', i: number) =>
  stat(results.map((r) => r[k][i] ?? Number.NaN));
const rows = [0, 1, 2, 3].map((i) => ({
  quarter: `${i * 25}–${(i + 1) * 25}%`,
  'µs per part': fmt(q('usPerPart', i), 1),
  'heap after (MiB)': fmt(q('heapMiB', i), 1),
}));
const first = stat(results.map((r) => r.usPerPart[0]!)).median;
const last = stat(results.map((r) => r.usPerPart[3]!)).median;
const heap0 = stat(results.map((r) => r.heapMiB[0]!)).median;
const heap3 = stat(results.map((r) => r.heapMiB[3]!)).median;
const medianSeconds = stat(results.map((r) => r.seconds)).median;
const summaryRows = [
  { figure: 'whole upload, engine time (s)', value: fmt(stat(results.map((r) => r.seconds)), 2) },
  {
    figure: 'time per part event (µs, whole upload)',
    value: ((medianSeconds * 1e6) / parts).toFixed(1),
  },
  {
    figure: 'allocated per part event (bytes, sampling heap profiler, 1 run)',
    value: (alloc.bytes / parts).toFixed(0),
  },
  { figure: 'allocated in all (MiB)', value: (alloc.bytes / 2 ** 20).toFixed(1) },
  { figure: 'store updates', value: fmt(stat(results.map((r) => r.storeUpdates)), 0) },
  { figure: 'store snapshot (bytes of JSON)', value: String(results[0]!.snapshotBytes) },
  { figure: 'part states (bytes, one per part)', value: String(parts) },
  { figure: 'checkpoint requests', value: String(results[0]!.checkpoints) },
  {
    figure: 'mutations left in the QueryClient cache',
    value: String(results[0]!.mutationsInCache),
  },
];
console.table(summaryRows);
console.log('where the bytes are allocated (top 8):');
console.table(
  alloc.top.map((t) => ({ where: t.where, 'bytes per part': (t.bytes / parts).toFixed(0) })),
);
report('engine-scale', rows, {
  summary: summaryRows,
  allocatedBytes: alloc.bytes,
  allocatedBytesPerPart: alloc.bytes / parts,
  topAllocations: alloc.top,
  parts,
  partSizeBytes: PART,
  fileBytes: parts * PART,
  totalSeconds: stat(results.map((r) => r.seconds)),
  storeUpdates: stat(results.map((r) => r.storeUpdates)),
  snapshotBytes: results[0]!.snapshotBytes,
  partStateBytes: parts,
  checkpointRequests: results[0]!.checkpoints,
  mutationsInCacheAtEnd: results[0]!.mutationsInCache,
  ratioLastToFirstQuarterTime: last / first,
  ratioLastToFirstQuarterHeap: heap3 / heap0,
});
console.log(
  `${parts} parts (${((parts * PART) / 2 ** 30).toFixed(0)} GiB) in ${fmt(stat(results.map((r) => r.seconds)), 2, ' s')}; ` +
    `time per part last/first quarter = ${(last / first).toFixed(2)}, heap last/first quarter = ${(heap3 / heap0).toFixed(2)}; ` +
    `store updates ${stat(results.map((r) => r.storeUpdates)).median}, snapshot ${results[0]!.snapshotBytes} B + ${parts} B of part states`,
);
