/**
 * Debian's Firefox ESR for the memory benchmark, driven over WebDriver BiDi by the same
 * puppeteer-core session the end-to-end tests use (test-support). Firefox has no CDP, so
 * there is no page heap to read and no forced GC: what is measured is the summed RSS (and
 * PSS) of every Firefox process (the parent and its content, GPU, socket and utility
 * children), read from /proc like Chromium's. The main process is found as the new Firefox
 * child of this process, the way browser.ts finds Chromium's.
 */

import { type BrowserPage, type BrowserSession, launchEngine } from '@atai-upload/test-support';
import type { UploadConfig, UploadResult } from '../../pages/common.js';
import { childProcesses, processTree, treeCpuSeconds, treePssBytes, treeRssBytes } from './proc.js';

function firefoxChildren(): number[] {
  return childProcesses(process.pid)
    .filter((c) => /firefox/i.test(c.command))
    .map((c) => c.pid);
}

export interface FirefoxBrowser {
  session: BrowserSession;
  /** Firefox's main (parent) process. */
  pid: number;
  cpuSeconds(): number;
  close(): Promise<void>;
}

export async function launchFirefox(): Promise<FirefoxBrowser> {
  const before = new Set(firefoxChildren());
  const session = await launchEngine('firefox');
  const fresh = firefoxChildren().filter((p) => !before.has(p));
  if (fresh.length !== 1) {
    await session.close();
    throw new Error(`cannot tell Firefox's process (${fresh.length} new)`);
  }
  const pid = fresh[0]!;
  return { session, pid, cpuSeconds: () => treeCpuSeconds(pid), close: () => session.close() };
}

/** RSS and PSS of the Firefox tree: before the upload and their peaks while it ran. */
export interface ProcessMemory {
  baselineRss: number;
  peakRss: number;
  baselinePss: number;
  peakPss: number;
  /** Processes in the tree at the RSS peak (content processes come and go). */
  processes: number;
  samples: number;
}

/** Samples the process tree of `pid` every `intervalMs` until `stop()`. */
export function sampleProcessMemory(
  pid: number,
  intervalMs = 200,
): { stop(): Promise<ProcessMemory> } {
  const peaks: ProcessMemory = {
    baselineRss: treeRssBytes(pid),
    peakRss: 0,
    baselinePss: treePssBytes(pid),
    peakPss: 0,
    processes: 0,
    samples: 0,
  };
  const sample = () => {
    const rss = treeRssBytes(pid);
    if (rss > peaks.peakRss) {
      peaks.peakRss = rss;
      peaks.processes = processTree(pid).length;
    }
    peaks.peakPss = Math.max(peaks.peakPss, treePssBytes(pid));
    peaks.samples++;
  };
  const timer = setInterval(sample, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      sample();
      return peaks;
    },
  };
}

/**
 * Runs the page's `benchRun` and polls for its result. One long `evaluate` would hit
 * puppeteer's protocol timeout (180 s) on a 2 GiB upload at the 10 MB/s Firefox makes on a
 * loaded 2-core machine; the run keeps its own limit (see runner.ts).
 */
export async function benchRunInPage(page: BrowserPage, cfg: UploadConfig): Promise<UploadResult> {
  await page.evaluate((c: UploadConfig) => {
    const w = window as Window & { benchResult?: UploadResult };
    w.benchResult = undefined;
    void window.benchRun!(c).then((r) => {
      w.benchResult = r;
    });
  }, cfg);
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const result = await page.evaluate(
      () => (window as Window & { benchResult?: UploadResult }).benchResult ?? null,
    );
    if (result) return result;
  }
}

/** Opens a benchmark page and waits until it has exposed `window.benchRun`. */
export async function openBenchPage(session: BrowserSession, url: string): Promise<BrowserPage> {
  const page = await session.newPage({ width: 1280, height: 800 });
  await page.goto(url);
  const deadline = Date.now() + 30_000;
  while (!(await page.evaluate(() => window.benchReady === true))) {
    if (Date.now() > deadline) throw new Error(`firefox: ${url} never became ready`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return page;
}
