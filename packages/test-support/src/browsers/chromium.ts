import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../chromium.js';
import { engineFiles } from './engines.js';
import { type BrowserPage, type BrowserSession, callExpression, type Viewport } from './page.js';

/** Debian's Chromium through playwright-core (CDP); each page in its own browser context. */
export async function launchChromiumSession(): Promise<BrowserSession> {
  const browser = await chromium.launch({
    executablePath: engineFiles('chromium')[0],
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return {
    engine: 'chromium',
    async newPage(viewport: Viewport): Promise<BrowserPage> {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error(`chromium page error: ${e.message}`));
      return {
        engine: 'chromium',
        goto: async (url) => {
          await page.goto(url);
        },
        reload: async () => {
          await page.reload();
        },
        evaluate: (fn, ...args) => page.evaluate(callExpression(fn, args)),
        setInputFiles: (selector, paths) => page.locator(selector).setInputFiles([...paths]),
        clickAt: (x, y) => page.mouse.click(x, y),
        screenshot: async (path, selector) => {
          if (selector) await page.locator(selector).first().screenshot({ path });
          else await page.screenshot({ path });
        },
        close: () => context.close(),
        addInitScript: async (source) => {
          await page.addInitScript(source);
        },
      };
    },
    close: () => browser.close(),
  };
}
