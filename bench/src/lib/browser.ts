/**
 * Debian's Chromium through playwright-core. Playwright's `Browser` does not expose its
 * process, and a `launchServer` + `connect` browser counts as remote (setInputFiles would
 * then copy the file over the wire), so the browser is launched directly and its main
 * process found in /proc as the new Chromium child of this process. The RSS and CPU
 * time of its whole process tree are then read from /proc.
 */
import { CHROMIUM_ARGS, chromiumPath } from '@atai-upload/test-support';
import { type Browser, chromium, type Page } from 'playwright-core';
import { childProcesses, treeCpuSeconds, treePssBytes, treeRssBytes } from './proc.js';

/** Chromium processes started by this process. */
function chromiumChildren(): number[] {
  return childProcesses(process.pid)
    .filter((c) => /chrom/i.test(c.command))
    .map((c) => c.pid);
}

export interface BenchBrowser {
  browser: Browser;
  /** The browser's main process. */
  pid: number;
  /** CPU seconds used so far by the browser's process tree. */
  cpuSeconds(): number;
  close(): Promise<void>;
}

export async function launchBenchBrowser(): Promise<BenchBrowser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium not found (apt-get install -y chromium)');
  const before = new Set(chromiumChildren());
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  const fresh = chromiumChildren().filter((p) => !before.has(p));
  if (fresh.length !== 1)
    throw new Error(`cannot tell the browser's process (${fresh.length} new)`);
  const pid = fresh[0]!;
  return {
    browser,
    pid,
    cpuSeconds: () => treeCpuSeconds(pid),
    close: () => browser.close(),
  };
}

export interface MemoryPeaks {
  /** JSHeapUsedSize of the page (main thread) before the upload started, after a forced GC. */
  baselineHeap: number;
  /** Highest JSHeapUsedSize seen during the upload. */
  peakHeap: number;
  /** Summed VmRSS of the browser's processes before the upload. */
  baselineRss: number;
  /** Highest summed VmRSS seen during the upload. */
  peakRss: number;
  /** JSHeapUsedSize after a forced GC once the upload is done (its page still mounted). */
  retainedHeap: number;
  /** Summed PSS (shared pages counted once) before the upload, and its peak. */
  baselinePss: number;
  peakPss: number;
  samples: number;
}

/**
 * Samples the page's JS heap (CDP `Performance.getMetrics`) and the browser tree's RSS
 * and PSS every `intervalMs` until `stop()`.
 */
export async function sampleMemory(
  page: Page,
  browserPid: number,
  intervalMs = 200,
): Promise<{ stop(): Promise<MemoryPeaks> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const heap = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
  };
  // A collected heap before and after tells retained state from garbage awaiting the GC.
  const collected = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return heap();
  };
  const peaks: MemoryPeaks = {
    baselineHeap: await collected(),
    retainedHeap: 0,
    peakHeap: 0,
    baselineRss: treeRssBytes(browserPid),
    peakRss: 0,
    baselinePss: treePssBytes(browserPid),
    peakPss: 0,
    samples: 0,
  };
  let running = true;
  const sample = async () => {
    const h = await heap().catch(() => 0);
    const r = treeRssBytes(browserPid);
    const p = treePssBytes(browserPid);
    peaks.peakHeap = Math.max(peaks.peakHeap, h);
    peaks.peakRss = Math.max(peaks.peakRss, r);
    peaks.peakPss = Math.max(peaks.peakPss, p);
    peaks.samples++;
  };
  const loop = (async () => {
    while (running) {
      await sample();
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await sample();
      peaks.retainedHeap = await collected();
      await cdp.detach().catch(() => {});
      return peaks;
    },
  };
}
