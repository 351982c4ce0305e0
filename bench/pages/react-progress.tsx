/**
 * React cost of showing progress: `useMultipartUpload` (no selector, as in the README's
 * quick start, so every store update re-renders) with a visible progress bar, over a
 * transport that moves no bytes (src/fake-transport.ts, answers on the next macrotask
 * or after `putMs`). Counts React commits with <Profiler onRender> and long tasks
 * (> 50 ms) with a PerformanceObserver.
 */
import {
  createFilesApiClient,
  type UseMultipartUploadOptions,
  useMultipartUpload,
} from '@atai-upload/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import axios from 'axios';
import { Profiler, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { fakePartHasher, fakeTransport, hollowFile, type Tick } from '../src/fake-transport.js';

export interface ReactBenchConfig {
  parts: number;
  partSize: number;
  concurrency: number;
  /** Delay of each fake PUT in ms; 0 answers on the next macrotask. */
  putMs: number;
}

export interface ReactBenchResult {
  ok: boolean;
  error?: string;
  ms: number;
  commits: number;
  /** Most commits within any 1,000 ms of the upload. */
  peakCommitsPerSecond: number;
  /** Summed render time of those commits (Profiler actualDuration). */
  renderMs: number;
  storeUpdates: number;
  longTasks: number;
  longestTaskMs: number;
  /** Each long task: what phase of the upload it fell in, when (ms after start) and how long. */
  longTaskList: Array<{ phase: string; atMs: number; ms: number }>;
  /** When (ms after start) the upload entered each status. */
  statusAt: Record<string, number>;
  /**
   * The same initiate answer (every part's URL) as JSON through the real API client
   * (axios JSON parse + valibot validation), timed apart before the upload: one task.
   */
  clientInitiateMs: number;
  /** `JSON.parse` alone of that answer (the part no client can avoid). */
  jsonParseMs: number;
  /** Size of that answer in bytes. */
  initiateJsonBytes: number;
}

declare global {
  interface Window {
    benchReact?: (cfg: ReactBenchConfig) => Promise<ReactBenchResult>;
    benchReady?: boolean;
  }
}

const longTasks: PerformanceEntry[] = [];
new PerformanceObserver((list) => longTasks.push(...list.getEntries())).observe({
  type: 'longtask',
  buffered: true,
});

// The next macrotask without the 4 ms clamp of nested timers.
const channel = new MessageChannel();
const queue: Array<() => void> = [];
channel.port1.onmessage = () => queue.shift()?.();
const nextTask: Tick = (fn) => {
  queue.push(fn);
  channel.port2.postMessage(0);
};

const mib = (n: number) => (n / 2 ** 20).toFixed(0);

function Uploader({
  cfg,
  options,
  onSettled,
  onStoreUpdate,
}: {
  cfg: ReactBenchConfig;
  options: UseMultipartUploadOptions;
  onSettled: (ok: boolean, error?: string) => void;
  onStoreUpdate: (status: string) => void;
}) {
  const { state, start, controller } = useMultipartUpload(options);
  useEffect(() => {
    controller.store.subscribe((st) => onStoreUpdate(st.status));
    void controller.settled().then((s) => onSettled(s.status === 'completed', s.error?.message));
    start(hollowFile(cfg.parts * cfg.partSize, 'bench-react.parquet')).catch((e: unknown) =>
      onSettled(false, String(e)),
    );
  }, [cfg, start, controller, onSettled, onStoreUpdate]);
  const p = state.progress;
  return (
    <div style={{ fontFamily: 'sans-serif', width: 480 }}>
      <div style={{ height: 12, background: '#ddd' }}>
        <div
          style={{ height: 12, width: `${(p.fraction * 100).toFixed(2)}%`, background: '#36c' }}
        />
      </div>
      <p>
        {state.status}: {(p.fraction * 100).toFixed(1)}% — {p.partsDone} / {p.partsTotal} parts,{' '}
        {mib(p.bytesUploaded)} / {mib(p.bytesTotal)} MiB, {mib(p.speedBps)} MiB/s, ETA{' '}
        {p.etaMs === undefined ? '–' : `${(p.etaMs / 1000).toFixed(0)} s`}
      </p>
    </div>
  );
}

const root = createRoot(document.getElementById('root')!);
/**
 * The fake transport, with its initiate answer built before the clock starts (building
 * 32,000 URLs is the fake's cost, not the engine's); the answer is handed out as is.
 */
async function prepare(cfg: ReactBenchConfig) {
  const tick: Tick = cfg.putMs > 0 ? (fn) => setTimeout(fn, cfg.putMs) : nextTask;
  const { api, storage } = fakeTransport(cfg.partSize, tick);
  const request = {
    filename: 'bench-react.parquet',
    file_type: 'application/x-parquet',
    num_bytes: cfg.parts * cfg.partSize,
  };
  const answer = await api.initiateUpload(request);
  // What the real client spends on that answer (a ~6 MB JSON body at 32,000 parts).
  const json = JSON.stringify(answer);
  const real = createFilesApiClient({
    baseUrl: 'https://api.invalid/v0.5',
    apiKey: 'bench',
    axiosInstance: axios.create({
      adapter: async (config) => ({
        data: json,
        status: 200,
        statusText: 'OK',
        headers: { 'content-type': 'application/json' },
        config,
      }),
    }),
  });
  const tc = performance.now();
  await real.initiateUpload(request);
  const clientInitiateMs = performance.now() - tc;
  const tp = performance.now();
  JSON.parse(json);
  const jsonParseMs = performance.now() - tp;
  await new Promise((r) => setTimeout(r, 100));
  const options: UseMultipartUploadOptions = {
    api: { ...api, initiateUpload: async () => answer },
    partUploader: storage,
    concurrency: cfg.concurrency,
    partHasher: fakePartHasher(nextTask),
  };
  return { options, clientInitiateMs, jsonParseMs, initiateJsonBytes: json.length };
}

window.benchReact = async (cfg) => {
  const { options, clientInitiateMs, jsonParseMs, initiateJsonBytes } = await prepare(cfg);
  return new Promise<ReactBenchResult>((resolve) => {
    const commits: number[] = [];
    let renderMs = 0;
    let storeUpdates = 0;
    const statusAt: Record<string, number> = {};
    const t0 = performance.now();
    const onRender = (
      _id: string,
      _phase: string,
      actual: number,
      _base: number,
      _start: number,
      commitTime: number,
    ) => {
      commits.push(commitTime);
      renderMs += actual;
    };
    const onSettled = (ok: boolean, error?: string) => {
      const t1 = performance.now();
      // Let a long task that ended the upload be reported before reading the list.
      setTimeout(() => {
        // Most commits within any 1,000 ms (a sliding window over the commit times).
        let peak = 0;
        for (let i = 0, j = 0; i < commits.length; i++) {
          while (commits[i]! - commits[j]! >= 1000) j++;
          peak = Math.max(peak, i - j + 1);
        }
        const during = longTasks.filter((e) => e.startTime + e.duration >= t0);
        resolve({
          ok,
          ...(error ? { error } : {}),
          ms: t1 - t0,
          commits: commits.length,
          peakCommitsPerSecond: peak,
          renderMs,
          storeUpdates,
          longTasks: during.length,
          longestTaskMs: Math.max(0, ...during.map((e) => e.duration)),
          longTaskList: during.map((e) => {
            const at = e.startTime - t0;
            const phase = Object.entries(statusAt)
              .filter(([, t]) => t <= at + e.duration)
              .sort((a, b) => b[1] - a[1])[0]?.[0];
            return {
              phase: phase ?? 'before start',
              atMs: Math.round(at),
              ms: Math.round(e.duration),
            };
          }),
          statusAt,
          clientInitiateMs,
          jsonParseMs,
          initiateJsonBytes,
        });
      }, 200);
    };
    root.render(
      <QueryClientProvider client={new QueryClient()}>
        <Profiler id="upload" onRender={onRender}>
          <Uploader
            cfg={cfg}
            options={options}
            onSettled={onSettled}
            onStoreUpdate={(status) => {
              storeUpdates++;
              statusAt[status] ??= performance.now() - t0;
            }}
          />
        </Profiler>
      </QueryClientProvider>,
    );
  });
};
window.benchReady = true;
