import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningEmulator, startEmulator } from '@atai-upload/emulator';
import {
  type Browser,
  chromiumPath,
  launchChromium,
  makeTempFile,
  sha256File,
  sha256Response,
} from '@atai-upload/test-support';
import { build, type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The demo's same-origin proxy mode: the bundle is built with VITE_API_BASE_URL=/api/v0.5 and
// no key; Vite's server adds the key on the way to the API. The key must not be in the bundle,
// and the browser must never send it.
const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECRET = 'server-side-secret-key-1234';
let emu: RunningEmulator;
let server: PreviewServer;
let browser: Browser;
let outDir: string;

beforeAll(async () => {
  emu = await startEmulator({
    apiPort: 0,
    storagePort: 0,
    dataDir: mkdtempSync(join(tmpdir(), 'atai-proxy-')),
    apiKey: SECRET,
  });
  const saved = { ...process.env };
  Object.assign(process.env, {
    VITE_API_BASE_URL: '/api/v0.5',
    VITE_API_KEY: '',
    ATAI_PROXY_TARGET: new URL(emu.apiUrl).origin,
    ATAI_API_KEY: SECRET,
    DEMO_PORT: '0',
  });
  try {
    outDir = mkdtempSync(join(tmpdir(), 'atai-demo-proxy-'));
    await build({
      root: appRoot,
      configFile: join(appRoot, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    server = await preview({
      root: appRoot,
      configFile: join(appRoot, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir },
    });
  } finally {
    process.env = saved;
  }
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await emu?.close();
});

describe.skipIf(!chromiumPath() && !process.env.CI)('demo behind the same-origin proxy', () => {
  it('keeps the API key out of the bundle and the browser, and still uploads', async () => {
    const assets = join(outDir, 'assets');
    for (const f of readdirSync(assets))
      expect(readFileSync(join(assets, f), 'utf8')).not.toContain(SECRET);

    const port = (server.httpServer.address() as AddressInfo).port;
    const page = await browser.newPage();
    const sentKey: string[] = [];
    page.on('request', (r) => {
      const auth = r.headers().authorization;
      if (auth) sentKey.push(`${r.url()} ${auth}`);
    });
    await page.goto(`http://127.0.0.1:${port}/`);
    const path = await makeTempFile(20 * 1024 * 1024 + 17, 'proxied.parquet');
    await page.locator('[data-testid="drop-zone-input"]').setInputFiles(path);
    await page
      .locator('[data-testid="upload-panel"][data-state="completed"]', {
        hasText: 'proxied.parquet',
      })
      .waitFor({ timeout: 120_000 });
    expect(sentKey).toEqual([]);
    const res = await fetch(`${emu.apiUrl}/files/download/proxied.parquet`, {
      headers: { Authorization: `Bearer ${SECRET}` },
    });
    expect(await sha256Response(res)).toBe(await sha256File(path));
    expect(emu.accounting().storageAuthorizationHeaders).toBe(0);
    await page.close();
  });
});
