import puppeteer, { type ElementHandle } from 'puppeteer-core';
import { engineFiles } from './engines.js';
import { type BrowserPage, type BrowserSession, callExpression, type Viewport } from './page.js';

/**
 * Debian's Firefox ESR, headless, through puppeteer-core over WebDriver BiDi (the protocol
 * Firefox ships; puppeteer-core downloads nothing). Each page gets its own user context.
 */
export async function launchFirefoxSession(): Promise<BrowserSession> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: engineFiles('firefox')[0],
    headless: true,
    extraPrefsFirefox: {
      // No update, telemetry or remote-settings traffic from the test machine.
      'app.update.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
    },
  });
  return {
    engine: 'firefox',
    async newPage(viewport: Viewport): Promise<BrowserPage> {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      await page.setViewport(viewport);
      page.on('pageerror', (e) => console.error(`firefox page error: ${String(e)}`));
      return {
        engine: 'firefox',
        goto: async (url) => {
          await page.goto(url);
        },
        reload: async () => {
          await page.reload();
        },
        evaluate: <A extends unknown[], R>(fn: (...args: A) => R, ...args: A) =>
          page.evaluate(callExpression(fn, args)) as Promise<Awaited<R>>,
        setInputFiles: async (selector, paths) => {
          const input = await page.$(selector);
          if (!input) throw new Error(`firefox: nothing matches ${selector}`);
          await (input as ElementHandle<HTMLInputElement>).uploadFile(...paths);
          await input.dispose();
        },
        clickAt: (x, y) => page.mouse.click(x, y),
        screenshot: async (path, selector) => {
          const target = selector ? await page.$(selector) : page;
          if (!target) throw new Error(`firefox: nothing matches ${selector}`);
          await target.screenshot({ path: path as `${string}.png` });
        },
        close: () => context.close(),
        addInitScript: async (source) => {
          await page.evaluateOnNewDocument(source);
        },
      };
    },
    close: () => browser.close(),
  };
}
