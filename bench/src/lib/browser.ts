/**
 * Debian's Chromium through playwright-core, launched as a browser server so its
 * process id is known: the RSS and CPU time of its whole process tree can then be
 * read from /proc.
 */
import { CHROMIUM_ARGS, chromiumPath } from '@atai-upload/test-support';
import { type Browser, chromium, type Page } from 'playwright-core';
import { treeCpuSeconds, treeRssBytes } from './proc.js';

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
  const server = await chromium.launchServer({ executablePath, headless: true, args: CHROMIUM_ARGS });
  const browser = await chromium.connect(server.wsEndpoint());
  const pid = server.process().pid!;
  return {
    browser,
    pid,
    cpuSeconds: () => treeCpuSeconds(pid),
    async close() {
      await browser.close().catch(() => {});
      await server.close();
    },
  };
}

export interface MemoryPeaks {
  /** JSHeapUsedSize of the page (main thread) before the upload started. */
  baselineHeap: number;
  /** Highest JSHeapUsedSize seen during the upload. */
  peakHeap: number;
  /** Summed VmRSS of the browser's processes before the upload. */
  baselineRss: number;
  /** Highest summed VmRSS seen during the upload. */
  peakRss: number;
  samples: number;
}

/**
 * Samples the page's JS heap (CDP `Performance.getMetrics`) and the browser tree's RSS
 * every `intervalMs` until `stop()`.
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
  const peaks: MemoryPeaks = {
    baselineHeap: await heap(),
    peakHeap: 0,
    baselineRss: treeRssBytes(browserPid),
    peakRss: 0,
    samples: 0,
  };
  let running = true;
  const sample = async () => {
    const h = await heap().catch(() => 0);
    const r = treeRssBytes(browserPid);
    peaks.peakHeap = Math.max(peaks.peakHeap, h);
    peaks.peakRss = Math.max(peaks.peakRss, r);
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
      await cdp.detach().catch(() => {});
      return peaks;
    },
  };
}
