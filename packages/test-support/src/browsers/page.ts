import type { Engine } from './engines.js';

/** A viewport size in CSS pixels. */
export interface Viewport {
  width: number;
  height: number;
}

/**
 * The few things the end-to-end scenarios do to a page, the same in every engine. Each
 * driver (playwright-core, puppeteer-core over WebDriver BiDi, selenium-webdriver over
 * classic WebDriver) implements it with its own protocol; anything engine-neutral
 * (selectors, waiting, clicking an element) is built on `evaluate` and `clickAt` here.
 */
export interface BrowserPage {
  readonly engine: Engine;
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  /**
   * Runs `fn(...args)` in the page and returns its (awaited) result. `fn` is sent as source
   * text, so it must not use anything from the test's scope: pass what it needs in `args`,
   * which must be JSON values, as must the result.
   */
  evaluate<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Promise<Awaited<R>>;
  /** Gives a file input these local files, as a user picking them would. */
  setInputFiles(selector: string, paths: readonly string[]): Promise<void>;
  /** A real pointer click (move, press, release) at viewport coordinates in CSS pixels. */
  clickAt(x: number, y: number): Promise<void>;
  /**
   * A PNG of the viewport, or of the first element matching `selector` (in WebKit: of the
   * viewport with that element scrolled to its top; see webkit.ts).
   */
  screenshot(path: string, selector?: string): Promise<void>;
  close(): Promise<void>;
  /**
   * Runs `source` in every document of this page before its own scripts (e.g. counters a
   * benchmark reads later). Chromium and Firefox only: WebDriver classic has no such hook.
   */
  addInitScript?(source: string): Promise<void>;
}

/** One running browser; every page gets its own profile state (cookies, storage). */
export interface BrowserSession {
  readonly engine: Engine;
  newPage(viewport: Viewport): Promise<BrowserPage>;
  close(): Promise<void>;
}

/** `(fn)(...args)` as an expression, for the drivers that evaluate source text. */
export function callExpression(fn: { toString(): string }, args: readonly unknown[]): string {
  return `(${fn.toString()})(...${JSON.stringify(args)})`;
}

/**
 * Polls `fn(...args)` in the page until it returns something truthy, which it returns.
 * Polling from Node works the same in every engine (no driver-specific wait helpers), and
 * the message names what was awaited when it times out.
 */
export async function waitUntil<A extends unknown[], R>(
  page: BrowserPage,
  message: string,
  options: { timeout: number; interval?: number },
  fn: (...args: A) => R,
  ...args: A
): Promise<Awaited<R>> {
  const deadline = Date.now() + options.timeout;
  let last: Awaited<R> | undefined;
  for (;;) {
    last = await page.evaluate(fn, ...args);
    if (last) return last;
    if (Date.now() > deadline) {
      throw new Error(
        `${page.engine}: timed out after ${options.timeout} ms waiting for ${message} (last: ${JSON.stringify(last)})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.interval ?? 100));
  }
}

/**
 * Scrolls the first element matching `selector` into view and returns its centre in the
 * viewport. With `text`, only elements whose text, `aria-label` or enclosing `<label>` contains
 * it (case-insensitive) match: enough to tell "Settings" from "Close" without roles.
 */
export async function centreOf(
  page: BrowserPage,
  selector: string,
  text?: string,
): Promise<{ x: number; y: number }> {
  const at = await page.evaluate(
    (sel: string, needle: string | null) => {
      const names = (el: Element) =>
        [el.textContent, el.getAttribute('aria-label'), el.closest('label')?.textContent]
          .join('\n')
          .toLowerCase();
      const el = [...document.querySelectorAll(sel)].find(
        (e) => needle === null || names(e).includes(needle.toLowerCase()),
      );
      if (!el) return null;
      el.scrollIntoView({ block: 'center', inline: 'center' });
      const r = el.getBoundingClientRect();
      return { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2) };
    },
    selector,
    text ?? null,
  );
  if (!at)
    throw new Error(`${page.engine}: nothing matches ${selector}${text ? ` "${text}"` : ''}`);
  return at;
}

/** A real pointer click in the middle of the first element matching `selector` (and `text`). */
export async function click(page: BrowserPage, selector: string, text?: string): Promise<void> {
  const { x, y } = await centreOf(page, selector, text);
  await page.clickAt(x, y);
}
