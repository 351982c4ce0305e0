import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Browser,
  bundleForBrowser,
  chromiumPath,
  launchChromium,
  type StaticServer,
  serveStatic,
} from '@atai-upload/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32cSync } from '../src/index.js';
import { type CspProbe, testBytes } from './csp-probe.js';

// A Content-Security-Policy without 'wasm-unsafe-eval' makes WebAssembly.compile() throw
// in Chromium: the package must then hash in JavaScript, on the page and in a worker.
const here = dirname(fileURLToPath(import.meta.url));
const STRICT = "default-src 'self'; script-src 'self'; worker-src 'self'";
const WITH_WASM = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'";
/** Long enough for the block loops, odd enough for a tail. */
const LENGTH = 1_000_003;

const servers: StaticServer[] = [];
let strict: StaticServer;
let withWasm: StaticServer;
let browser: Browser;

beforeAll(async () => {
  const files = {
    '/': {
      type: 'text/html',
      body: '<!doctype html><title>csp</title><script type="module" src="/page.js"></script>',
    },
    '/page.js': {
      type: 'text/javascript',
      body: await bundleForBrowser(join(here, 'csp-page.ts')),
    },
    '/worker.js': {
      type: 'text/javascript',
      body: await bundleForBrowser(join(here, 'csp-worker.ts')),
    },
  };
  // Every answer, the worker script's included, carries the policy: a worker runs under
  // the CSP of its own script's response.
  strict = await serveStatic(files, { 'Content-Security-Policy': STRICT });
  servers.push(strict);
  withWasm = await serveStatic(files, { 'Content-Security-Policy': WITH_WASM });
  servers.push(withWasm);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => s.close()));
});

async function probeIn(server: StaticServer, where: 'main' | 'worker'): Promise<CspProbe> {
  const tab = await browser.newPage();
  try {
    await tab.goto(server.url);
    await tab.waitForFunction(() => 'cspTest' in window);
    return await tab.evaluate(
      ([w, n]) =>
        (
          window as unknown as {
            cspTest: Record<'main' | 'worker', (length: number) => Promise<CspProbe>>;
          }
        ).cspTest[w](n),
      [where, LENGTH] as const,
    );
  } finally {
    await tab.close();
  }
}

const expected = crc32cSync(testBytes(LENGTH));

// Skipped only outside CI when no Chromium is installed; in CI a missing browser fails the run.
describe.skipIf(!chromiumPath() && !process.env.CI)('CRC-32C under a real CSP', () => {
  it.each(['main', 'worker'] as const)(
    'hashes in JavaScript when the CSP refuses WebAssembly (%s thread)',
    async (where) => {
      const r = await probeIn(strict, where);
      expect(r.hasWebAssembly).toBe(true);
      expect(r.kernel).toBe('js');
      expect(r.crc).toBe(expected);
      // The refusal really came from the policy, and ends in the package's own error.
      expect(r.violations.length).toBeGreaterThan(0);
      expect(r.violations).toContainEqual({ directive: 'script-src', blocked: 'wasm-eval' });
      expect(r.forcedWasm).toMatchObject({ ok: false, unavailable: true });
      if (!r.forcedWasm.ok) {
        expect(r.forcedWasm.name).toBe('Crc32cUnavailableError');
        expect(r.forcedWasm.message).toMatch(/^the checksum could not be computed: /);
        expect(r.forcedWasm.message).toContain('WebAssembly');
      }
    },
  );

  it.each(['main', 'worker'] as const)(
    "hashes in WebAssembly when the CSP allows 'wasm-unsafe-eval' (%s thread)",
    async (where) => {
      const r = await probeIn(withWasm, where);
      expect(r.kernel).toBe('wasm');
      expect(r.crc).toBe(expected);
      expect(r.forcedWasm).toEqual({ ok: true });
      expect(r.violations).toEqual([]);
    },
  );
});
