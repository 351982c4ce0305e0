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

async function runInBrowser(name: string) {
  const tab = await browser.newPage();
  try {
    await tab.goto(page.url);
    await tab.waitForFunction(() => 'atai' in window);
    return await tab.evaluate(
      ([apiUrl, key, filename]) =>
        (
          window as unknown as {
            atai: { tryUpload(a: string, k: string, n: string): Promise<unknown> };
          }
        ).atai.tryUpload(apiUrl!, key!, filename!),
      [emu.apiUrl, emu.apiKey, name] as const,
    );
  } finally {
    await tab.close();
  }
}

// Skipped only outside CI when no Chromium is installed; in CI a missing browser fails the run.
describe.skipIf(!chromiumPath() && !process.env.CI)('CORS in a real browser', () => {
  it('reads the ETag cross-origin when storage exposes it', async () => {
    emu.setFaults({ exposeEtag: true });
    const r = await runInBrowser('exposed.txt');
    expect(r).toMatchObject({ ok: true, status: 'Registered' });
    expect((r as { etag: string }).etag).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it('fails with an error naming Access-Control-Expose-Headers: ETag when storage hides it', async () => {
    emu.setFaults({ exposeEtag: false });
    try {
      const r = await runInBrowser('hidden.txt');
      expect(r).toMatchObject({ ok: false, code: 'missing_etag' });
      expect((r as { message: string }).message).toContain('Access-Control-Expose-Headers: ETag');
    } finally {
      emu.setFaults({ exposeEtag: true });
    }
  });
});
