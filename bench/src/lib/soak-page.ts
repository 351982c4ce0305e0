/**
 * One demo tab for the soak, in Chromium (playwright-core, with the DevTools protocol for the
 * page's JS heap) or Firefox ESR (puppeteer-core over WebDriver BiDi, which has no heap
 * reading: its figures are the process tree's). Both load the same counters before the app's
 * own scripts (see PAGE_COUNTERS) and report the browser's main process, whose tree's
 * memory is read from /proc.
 */
import type { CDPSession, Page } from 'playwright-core';
import { launchBenchBrowser } from './browser.js';
import { launchPipeChromium } from './cdp-pipe.js';
import { launchFirefox } from './firefox.js';

/**
 * `chromium` is driven by Playwright (which keeps the DevTools Network domain on); `chromium-pipe`
 * by lib/cdp-pipe.ts, which never enables it: the control that tells the kit's memory from the
 * harness's.
 */
export type SoakEngine = 'chromium' | 'chromium-pipe' | 'firefox';

export const SOAK_ENGINES: readonly SoakEngine[] = ['chromium', 'chromium-pipe', 'firefox'];

/** What the counters installed by PAGE_COUNTERS read, since the document loaded. */
export interface PageCounters {
  /** React commits (every `onCommitFiberRoot` call React makes to a devtools hook). */
  commits: number;
  /** Long tasks (over 50 ms on the main thread); null where the browser has no such entry. */
  longTasks: number | null;
  longTaskMs: number | null;
}

export interface SoakPage {
  engine: SoakEngine;
  /** The browser's main process (its tree is every process of the browser). */
  browserPid: number;
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  /**
   * Runs a self-contained function (it is sent as source: no captured variables) in the page,
   * with one JSON argument.
   */
  run<R, A = undefined>(fn: (arg: A) => R, arg?: A): Promise<Awaited<R>>;
  setInputFiles(selector: string, path: string): Promise<void>;
  screenshot(path: string): Promise<void>;
  /** JSHeapUsedSize of the page's main thread, or null where it cannot be read (Firefox). */
  heapBytes(): Promise<number | null>;
  close(): Promise<void>;
}

/**
 * Installed before the app's scripts, in every document of the tab (so again after the
 * reload). A minimal stand-in for the React DevTools global hook: React (production builds
 * too) hands every commit to `onCommitFiberRoot` when such a hook exists, which is how the
 * devtools see production apps; counting the calls costs nothing measurable. Long tasks come
 * from the Long Tasks API (Chromium; Firefox has none).
 */
export const PAGE_COUNTERS = `(() => {
  const c = { commits: 0, longTasks: null, longTaskMs: null };
  window.__soak = c;
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    renderers: new Map(),
    inject() { return 1; },
    onCommitFiberRoot() { c.commits++; },
    onCommitFiberUnmount() {},
    onPostCommitFiberRoot() {},
    onScheduleFiberRoot() {},
    checkDCE() {},
  };
  try {
    if (PerformanceObserver.supportedEntryTypes.includes('longtask')) {
      c.longTasks = 0;
      c.longTaskMs = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) { c.longTasks++; c.longTaskMs += e.duration; }
      }).observe({ type: 'longtask' });
    }
  } catch {}
})();`;

export async function openSoakPage(engine: SoakEngine): Promise<SoakPage> {
  if (engine === 'chromium-pipe') return openPipeChromium();
  return engine === 'chromium' ? openChromium() : openFirefox();
}

async function openPipeChromium(): Promise<SoakPage> {
  const page = await launchPipeChromium({ width: 1100, height: 900 });
  await page.addInitScript(PAGE_COUNTERS);
  return {
    engine: 'chromium-pipe',
    browserPid: page.pid,
    goto: page.goto,
    reload: page.reload,
    run: page.run,
    setInputFiles: page.setInputFiles,
    screenshot: page.screenshot,
    heapBytes: page.heapBytes,
    close: page.close,
  };
}

async function openChromium(): Promise<SoakPage> {
  const b = await launchBenchBrowser();
  const context = await b.browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page: Page = await context.newPage();
  page.on('pageerror', (e) => console.error(`chromium page error: ${e.message}`));
  await page.addInitScript(PAGE_COUNTERS);
  // A reload replaces the page's main-thread isolate, not the target: one session serves.
  const cdp: CDPSession = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  return {
    engine: 'chromium',
    browserPid: b.pid,
    goto: async (url) => {
      await page.goto(url);
    },
    reload: async () => {
      await page.reload();
      await cdp.send('Performance.enable');
    },
    // Playwright's types unbox handles in the argument; a soak passes JSON only.
    run: <R, A>(fn: (arg: A) => R, arg?: A) =>
      page.evaluate(fn as (arg: unknown) => R, arg) as Promise<Awaited<R>>,
    setInputFiles: (selector, path) => page.locator(selector).setInputFiles(path),
    screenshot: async (path) => {
      await page.screenshot({ path });
    },
    heapBytes: async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? null;
    },
    close: () => b.close(),
  };
}

async function openFirefox(): Promise<SoakPage> {
  const f = await launchFirefox();
  const page = await f.session.newPage({ width: 1100, height: 900 });
  if (!page.addInitScript) throw new Error('firefox: no init scripts in this driver');
  await page.addInitScript(PAGE_COUNTERS);
  return {
    engine: 'firefox',
    browserPid: f.pid,
    goto: (url) => page.goto(url),
    reload: () => page.reload(),
    run: <R, A>(fn: (arg: A) => R, arg?: A) => page.evaluate(fn, arg as A),
    setInputFiles: (selector, path) => page.setInputFiles(selector, [path]),
    screenshot: (path) => page.screenshot(path),
    heapBytes: async () => null,
    close: () => f.close(),
  };
}
