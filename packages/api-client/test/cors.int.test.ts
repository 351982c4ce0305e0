import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningEmulator, startEmulator } from '@atai-upload/emulator';
import {
  type Browser,
  bundleForBrowser,
  chromiumPath,
  launchChromium,
  type StaticServer,
  serveStatic,
} from '@atai-upload/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The ETag exposure rule only exists in browsers: run the real client in Debian's Chromium,
// from a page on a third origin, against the emulator's API and storage origins.
const here = dirname(fileURLToPath(import.meta.url));
let emu: RunningEmulator;
let page: StaticServer;
let browser: Browser;

beforeAll(async () => {
  emu = await startEmulator({
    apiPort: 0,
    storagePort: 0,
    dataDir: mkdtempSync(join(tmpdir(), 'atai-cors-')),
    apiKey: 'cors-key',
  });
  const js = await bundleForBrowser(join(here, 'browser-entry.ts'));
  page = await serveStatic({
    '/': {
      type: 'text/html',
      body: '<!doctype html><title>cors</title><script type="module" src="/app.js"></script>',
    },
    '/app.js': { type: 'text/javascript', body: js },
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await page?.close();
  await emu?.close();
});

type PageFn = 'tryUpload' | 'tryLeakingPut' | 'tryTamperedPut';

/** Calls one of browser-entry.ts's functions in a fresh tab of the third-origin page. */
async function runInBrowser(
  fn: PageFn,
  name: string,
  leakyDefaults = false,
  at: { query?: string; cookie?: string } = {},
) {
  const tab = await browser.newPage();
  try {
    await tab.goto(`${page.url}/${at.query ?? ''}`);
    if (at.cookie) {
      const cookie = at.cookie;
      await tab.evaluate((c) => {
        // biome-ignore lint/suspicious/noDocumentCookie: the test plants the app's own cookie the old way on purpose
        document.cookie = c;
      }, cookie);
    }
    await tab.waitForFunction(() => 'atai' in window);
    return await tab.evaluate(
      ([f, apiUrl, key, filename, leaky]) =>
        (
          window as unknown as {
            atai: Record<string, (a: string, k: string, n: string, l: boolean) => Promise<unknown>>;
          }
        ).atai[f as string]!(apiUrl as string, key as string, filename as string, leaky as boolean),
      [fn, emu.apiUrl, emu.apiKey, name, leakyDefaults] as const,
    );
  } finally {
    await tab.close();
  }
}

// Skipped only outside CI when no Chromium is installed; in CI a missing browser fails the run.
describe.skipIf(!chromiumPath() && !process.env.CI)('CORS in a real browser', () => {
  it('reads the ETag cross-origin when storage exposes it', async () => {
    emu.setFaults({ exposeEtag: true });
    const r = await runInBrowser('tryUpload', 'exposed.txt');
    expect(r).toMatchObject({ ok: true, status: 'Registered' });
    expect((r as { etag: string }).etag).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it('fails with an error naming Access-Control-Expose-Headers: ETag when storage hides it', async () => {
    emu.setFaults({ exposeEtag: false });
    try {
      const r = await runInBrowser('tryUpload', 'hidden.txt');
      expect(r).toMatchObject({ ok: false, code: 'missing_etag' });
      expect((r as { message: string }).message).toContain('Access-Control-Expose-Headers: ETag');
    } finally {
      emu.setFaults({ exposeEtag: true });
    }
  });

  it('never asks storage to take Authorization, even with an Authorization default on axios', async () => {
    // Storage refuses any preflight asking for a header other than Content-Type: had the
    // client asked to send the key, the browser would have blocked the PUT.
    const before = emu.accounting();
    const r = await runInBrowser('tryUpload', 'no-leak.txt', true);
    expect(r).toMatchObject({ ok: true, status: 'Registered' });
    const after = emu.accounting();
    expect(after.storagePreflightsRefused).toBe(before.storagePreflightsRefused);
    expect(after.storageAuthorizationHeaders).toBe(0);
    expect(after.putSuccesses).toBe(before.putSuccesses + 1);
  });

  it('part PUTs carry no cookie and not the page URL as referrer', async () => {
    // Cookies are not scoped by port: a cookie of the app's page on 127.0.0.1 would reach
    // storage on 127.0.0.1 too if the PUT included credentials.
    const before = emu.accounting();
    const r = await runInBrowser('tryUpload', 'no-cookie.txt', false, {
      query: '?account=private-42',
      cookie: 'session=app-secret; path=/',
    });
    expect(r).toMatchObject({ ok: true, status: 'Registered' });
    const after = emu.accounting();
    expect(after.putSuccesses).toBe(before.putSuccesses + 1);
    expect(after.storageCookieHeaders).toBe(0);
    expect(after.storageReferers.some((ref) => ref.includes('private-42'))).toBe(false);
  });

  it('the refusal is real: a PUT that carries the key is stopped by the browser before it is sent', async () => {
    const before = emu.accounting();
    const r = await runInBrowser('tryLeakingPut', 'leak.txt');
    expect(r).toEqual({ sent: false, error: 'TypeError' });
    const after = emu.accounting();
    expect(after.storagePreflightsRefused).toBe(before.storagePreflightsRefused + 1);
    expect(after.putRequests).toBe(before.putRequests);
    expect(after.storageAuthorizationHeaders).toBe(0);
  });

  it('with opaque storage errors a bad signature reaches the client as a network error, not a 403', async () => {
    const visible = await runInBrowser('tryTamperedPut', 'tampered.txt');
    expect(visible).toMatchObject({ ok: false, code: 'url_expired', status: 403 });
    emu.setFaults({ opaqueStorageErrors: true });
    try {
      const opaque = await runInBrowser('tryTamperedPut', 'tampered-opaque.txt');
      expect(opaque).toMatchObject({ ok: false, code: 'network' });
      expect(opaque).not.toHaveProperty('status');
    } finally {
      emu.setFaults({ opaqueStorageErrors: false });
    }
  });
});
