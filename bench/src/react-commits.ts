/**
 * React commits while the hook shows progress: a simulated 250 GiB, 32,000-part upload
 * on a transport that moves no bytes, rendered by `useMultipartUpload` (no selector)
 * with a progress bar in headless Chromium. Counts commits (<Profiler onRender>), the
 * most in any one second, and long tasks (> 50 ms, PerformanceObserver 'longtask').
 * A fresh page per run.
 *
 *   pnpm --filter @atai-upload/bench react [--parts 32000] [--runs 3] [--concurrency 4] [--put-ms 0]
 */
import type { ReactBenchConfig, ReactBenchResult } from '../pages/react-progress.js';
import { fmtSize, sizeArg } from './lib/args.js';
import { launchBenchBrowser } from './lib/browser.js';
import { servePages } from './lib/pages.js';
import { fmt, numArg, report, stat } from './report.js';

const cfg: ReactBenchConfig = {
  parts: numArg('parts', 32_000),
  partSize: sizeArg('part-size', 8 * 1024 ** 2),
  concurrency: numArg('concurrency', 4),
  putMs: numArg('put-ms', 0),
};
const runs = numArg('runs', 3);
console.log(
  `react: ${cfg.parts} parts of ${fmtSize(cfg.partSize)} (${fmtSize(cfg.parts * cfg.partSize)}), concurrency ${cfg.concurrency}, ` +
    `fake PUTs answer ${cfg.putMs > 0 ? `after ${cfg.putMs} ms` : 'on the next task'}, ${runs} runs`,
);

const pages = await servePages(['react']);
const b = await launchBenchBrowser();
const results: ReactBenchResult[] = [];
try {
  for (let r = 0; r < runs; r++) {
    const page = await b.browser.newPage();
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    await page.goto(`${pages.url}/react.html`);
    await page.waitForFunction(() => window.benchReady === true);
    const res = await page.evaluate((c) => window.benchReact!(c), cfg);
    await page.close();
    if (!res.ok) throw new Error(`simulated upload failed: ${res.error}`);
    results.push(res);
    console.log(
      `  run ${r + 1}/${runs}: ${(res.ms / 1000).toFixed(2)} s, ${res.commits} commits (peak ${res.peakCommitsPerSecond}/s), ` +
        `${res.storeUpdates} store updates, ${res.longTasks} long tasks (longest ${res.longestTaskMs.toFixed(0)} ms)` +
        (res.longTaskList.length
          ? `: ${res.longTaskList.map((t) => `${t.ms} ms at ${t.atMs} ms, ending in '${t.phase}'`).join('; ')}`
          : ''),
    );
  }
} finally {
  await b.close();
  await pages.close();
}

const s = (f: (r: ReactBenchResult) => number) => stat(results.map(f));
const commitsPerSecond = s((r) => r.commits / (r.ms / 1000));
const peak = s((r) => r.peakCommitsPerSecond);
const longest = s((r) => r.longestTaskMs);
const longCount = s((r) => r.longTasks);
const initiate = s((r) => r.clientInitiateMs);
const rows = [
  {
    figure: 'simulated upload time (s)',
    'median (min–max, n)': fmt(
      s((r) => r.ms / 1000),
      2,
    ),
    target: '',
    result: '',
  },
  {
    figure: 'part events per second',
    'median (min–max, n)': fmt(
      s((r) => cfg.parts / (r.ms / 1000)),
      0,
    ),
    target: '',
    result: '',
  },
  {
    figure: 'store updates',
    'median (min–max, n)': fmt(
      s((r) => r.storeUpdates),
      0,
    ),
    target: '',
    result: '',
  },
  {
    figure: 'React commits',
    'median (min–max, n)': fmt(
      s((r) => r.commits),
      0,
    ),
    target: '',
    result: '',
  },
  // The mean over a run shorter than a second says little; the busiest second is the target.
  {
    figure: 'commits per second (mean over the run)',
    'median (min–max, n)': fmt(commitsPerSecond, 1),
    target: '',
    result: '',
  },
  {
    figure: 'commits within the busiest 1,000 ms',
    'median (min–max, n)': fmt(peak, 0),
    target: '≤ 30',
    result: peak.max <= 30 ? 'PASS' : 'MISS',
  },
  {
    figure: 'render time of all commits (ms)',
    'median (min–max, n)': fmt(
      s((r) => r.renderMs),
      1,
    ),
    target: '',
    result: '',
  },
  {
    figure: 'long tasks (> 50 ms)',
    'median (min–max, n)': fmt(longCount, 0),
    target: '0',
    result: longCount.max === 0 ? 'PASS' : 'MISS',
  },
  {
    figure: 'longest long task (ms)',
    'median (min–max, n)': fmt(longest, 0),
    target: '≤ 50',
    result: longest.max <= 50 ? 'PASS' : 'MISS',
  },
  // Not part of the upload above (the fake hands out a ready answer): what the real API
  // client spends on the same initiate answer as JSON, in one task.
  {
    figure: `real API client on the ${cfg.parts}-part initiate answer (ms, one task)`,
    'median (min–max, n)': fmt(initiate, 0),
    target: '≤ 50',
    result: initiate.max <= 50 ? 'PASS' : 'MISS',
  },
  {
    figure: `… of which JSON.parse of the ${(results[0]!.initiateJsonBytes / 1e6).toFixed(1)} MB body (ms)`,
    'median (min–max, n)': fmt(
      s((r) => r.jsonParseMs),
      0,
    ),
    target: '',
    result: '',
  },
];
report('react-commits', rows, { ...cfg, runs, raw: results });
