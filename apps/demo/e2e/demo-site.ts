import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningEmulator, startEmulator } from '@atai-upload/emulator';
import {
  type BrowserPage,
  type BrowserSession,
  type Engine,
  engineInstalled,
  launchEngine,
  type StaticServer,
  serveDir,
  sha256Response,
  type Viewport,
  waitUntil,
} from '@atai-upload/test-support';
import { build } from 'vite';
import { afterAll, beforeAll } from 'vitest';

// What every end-to-end file of the demo shares: the app as a user gets it (built by Vite,
// served statically) against the emulator over real HTTP (three origins: app, API, storage),
// and the few page queries the scenarios make, written once for every engine.

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SHOTS = join(appRoot, '..', '..', 'test-output', 'e2e');
export const MiB = 1024 * 1024;
export const PART = 8 * MiB;

export interface DemoSite {
  emu: RunningEmulator;
  site: StaticServer;
  close(): Promise<void>;
}

/** Builds the demo once per test file, into a temporary folder. */
export async function buildDemo(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'atai-demo-dist-'));
  // Vite takes a set NODE_ENV over the build's mode, and vitest sets it to 'test': without
  // this the tests would get a development build (React's development build, DEV code paths
  // such as the query devtools) instead of the one a user gets.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: appRoot,
      configFile: join(appRoot, 'vite.config.ts'),
      logLevel: 'warn',
      mode: 'production',
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  return outDir;
}

/**
 * Builds the demo, serves it (with `options.headers` on every answer) and starts an emulator
 * with 8 MiB parts and no faults (`options.emulator` overrides its options).
 */
export async function startDemoSite(
  options: {
    headers?: Record<string, string>;
    emulator?: Partial<Parameters<typeof startEmulator>[0]>;
    dist?: string;
  } = {},
): Promise<DemoSite> {
  const outDir = options.dist ?? (await buildDemo());
  const site = await serveDir(outDir, options.headers);
  const emu = await startDemoEmulator(options.emulator);
  return {
    emu,
    site,
    async close() {
      await site.close();
      await emu.close();
    },
  };
}

/** An emulator with 8 MiB parts and no faults (`options` overrides its options). */
export function startDemoEmulator(
  options: Partial<Parameters<typeof startEmulator>[0]> = {},
): Promise<RunningEmulator> {
  return startEmulator({
    apiPort: 0,
    storagePort: 0,
    dataDir: mkdtempSync(join(tmpdir(), 'atai-e2e-')),
    partSize: PART,
    apiKey: 'e2e-key',
    faults: { seed: 7 },
    ...options,
  });
}

/** Opens the demo pointed at the emulator and waits until its file picker is there. */
export async function openDemo(
  session: BrowserSession,
  demo: DemoSite,
  viewport: Viewport = { width: 1100, height: 900 },
): Promise<BrowserPage> {
  const page = await session.newPage(viewport);
  const { apiUrl, apiKey } = demo.emu;
  await page.goto(`${demo.site.url}/?apiBaseUrl=${encodeURIComponent(apiUrl)}&apiKey=${apiKey}`);
  await waitForPicker(page);
  return page;
}

/** Resolves once the demo shows its "Choose files" button (after a load or a reload). */
export async function waitForPicker(page: BrowserPage): Promise<void> {
  await waitUntil(page, 'the file picker', { timeout: 30_000 }, () =>
    [...document.querySelectorAll('button')].some((b) => /choose files/i.test(b.textContent ?? '')),
  );
}

/** `data-state` of the panel of the file called `name`, or null while it has none. */
export function panelState(page: BrowserPage, name: string): Promise<string | null> {
  return page.evaluate((file: string) => {
    const panel = [...document.querySelectorAll('[data-testid="upload-panel"]')].find((p) =>
      p.textContent?.includes(file),
    );
    return panel?.getAttribute('data-state') ?? null;
  }, name);
}

/** The text of that file's panel ("" when there is none). */
export function panelText(page: BrowserPage, name: string): Promise<string> {
  return page.evaluate((file: string) => {
    const panel = [...document.querySelectorAll('[data-testid="upload-panel"]')].find((p) =>
      p.textContent?.includes(file),
    );
    return panel?.textContent ?? '';
  }, name);
}

/**
 * Waits until the panel of `name` is in `state`. A `failed` panel that was not expected ends
 * the wait at once with the error it shows, instead of running into the timeout.
 */
export async function waitForState(
  page: BrowserPage,
  name: string,
  state: string,
  timeout = 240_000,
): Promise<void> {
  const deadline = Date.now() + timeout;
  let last: string | null = null;
  for (;;) {
    last = await panelState(page, name);
    if (last === state) return;
    if (last === 'failed' && state !== 'failed') {
      throw new Error(`${page.engine}: ${name} failed: ${await panelText(page, name)}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`${page.engine}: ${name} still ${last} after ${timeout} ms, not ${state}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** SHA-256 of what the emulator stored under `name`. */
export async function storedHash(emu: RunningEmulator, name: string): Promise<string> {
  const res = await fetch(`${emu.apiUrl}/files/download/${encodeURIComponent(name)}`, {
    headers: { Authorization: `Bearer ${emu.apiKey}` },
  });
  if (res.status !== 200) throw new Error(`download of ${name}: HTTP ${res.status}`);
  return sha256Response(res);
}

/** The emulator's uploads of the file called `name` (ids of uploads that got any part PUT). */
export function uploadsOf(emu: RunningEmulator, name: string) {
  return Object.keys(emu.accounting().parts)
    .map((id) => emu.upload(id))
    .filter((u) => u?.filename === name);
}

/** Every fault off, links long-lived, no bandwidth cap. */
export function resetFaults(emu: RunningEmulator): void {
  emu.setFaults({
    partPut: { error5xxRate: 0, error429Rate: 0, dropRate: 0, corruptRate: 0 },
    api: { error5xxRate: 0, error429Rate: 0 },
    urlTtlSeconds: 3600,
    bandwidthBytesPerSec: 0,
  });
}

/**
 * One browser of `engine` for the enclosing `describe` (launched before its tests, closed
 * after). `run` is false only outside CI when that browser is missing; in CI a missing
 * browser fails the run.
 */
export function engineSession(engine: Engine): { run: boolean; session(): BrowserSession } {
  const run = engineInstalled(engine) || !!process.env.CI;
  let session: BrowserSession | undefined;
  beforeAll(async () => {
    if (run) session = await launchEngine(engine);
  }, 60_000);
  afterAll(async () => {
    await session?.close();
  });
  return {
    run,
    session: () => {
      if (!session) throw new Error(`${engine} was not launched`);
      return session;
    },
  };
}
