import { join } from 'node:path';
import {
  type BrowserSession,
  click,
  engineInstalled,
  launchEngine,
  makeTempFile,
  sha256File,
  waitUntil,
} from '@atai-upload/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDemo,
  type DemoSite,
  MiB,
  openDemo,
  panelText,
  SHOTS,
  startDemoSite,
  storedHash,
  waitForState,
} from './demo-site.js';

// What enterprise apps ask of the kit, in the built demo in Chromium: the server's own words
// when it refuses, and uploads under a strict Content-Security-Policy.
const run = engineInstalled('chromium') || !!process.env.CI;
let dist: string;
let session: BrowserSession;

beforeAll(async () => {
  if (!run) return;
  dist = await buildDemo();
  session = await launchEngine('chromium');
}, 120_000);
afterAll(async () => {
  await session?.close();
});

const panelOf = (name: string) => `[data-testid="upload-panel"]:has([title="${name}"])`;

describe.skipIf(!run)(
  'the server refuses: its message, suggestion and error id on the page',
  () => {
    let demo: DemoSite;
    beforeAll(async () => {
      // An API that takes only CSV: the kit sends a Parquet file, the API refuses it with the
      // documented envelope.
      demo = await startDemoSite({ dist, emulator: { fileTypes: ['text/csv'] } });
    }, 60_000);
    afterAll(async () => {
      await demo?.close();
    });

    it('shows the injected refusal in the panel, with a copy button for the error id', async () => {
      const name = 'refused.parquet';
      const path = await makeTempFile(3 * MiB, name);
      const page = await openDemo(session, demo);
      try {
        await page.setInputFiles('[data-testid="drop-zone-input"]', [path]);
        await waitForState(page, name, 'failed', 60_000);
        const view = await page.evaluate((sel: string) => {
          const panel = document.querySelector(sel);
          const text = (id: string) =>
            [...(panel?.querySelectorAll(`[data-testid="${id}"]`) ?? [])].map((e) => e.textContent);
          return {
            errors: text('server-error'),
            suggestions: text('error-suggestion'),
            uids: text('error-uid'),
          };
        }, panelOf(name));
        expect(view.errors.join(' ')).toMatch(/application\/x-parquet/);
        expect(view.errors.join(' ')).toMatch(/invalid_file_type/);
        expect(view.suggestions.join(' ')).toMatch(/text\/csv/);
        expect(view.uids).toHaveLength(1);
        expect(view.uids[0]).toMatch(/^err-[0-9a-f-]{36}$/);
        await click(page, `${panelOf(name)} button`, 'Copy the support reference');
        await waitUntil(
          page,
          'the copy button to confirm',
          { timeout: 10_000 },
          (sel: string) =>
            [...document.querySelectorAll(`${sel} button`)].some((b) => b.textContent === 'Copied'),
          panelOf(name),
        ).catch(() => undefined); // clipboard permission is the browser's call; the id stays on screen
        await page.screenshot(join(SHOTS, 'panel-chromium-server-error.png'), panelOf(name));
      } finally {
        await page.close();
      }
    });
  },
);

describe.skipIf(!run)('under a strict Content-Security-Policy', () => {
  const STRICT = "default-src 'self'; connect-src *; script-src 'self'; worker-src 'self'";
  const WITH_WASM =
    "default-src 'self'; connect-src *; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'";

  for (const [label, policy] of [
    ["without 'wasm-unsafe-eval' (the JavaScript CRC kernel)", STRICT],
    ["with 'wasm-unsafe-eval' (the WebAssembly CRC kernel)", WITH_WASM],
  ] as const) {
    it(`uploads and verifies the checksum ${label}`, async () => {
      const demo = await startDemoSite({ dist, headers: { 'Content-Security-Policy': policy } });
      const name = `csp-${policy === STRICT ? 'strict' : 'wasm'}.parquet`;
      const path = await makeTempFile(48 * MiB + 5, name);
      const page = await openDemo(session, demo);
      try {
        await page.setInputFiles('[data-testid="drop-zone-input"]', [path]);
        await waitForState(page, name, 'completed', 120_000);
        await expect(panelText(page, name)).resolves.toMatch(/CRC-32C verified by the server/);
        expect(await storedHash(demo.emu, name)).toBe(await sha256File(path));
      } finally {
        await page.close();
        await demo.close();
      }
    });
  }
});

describe.skipIf(!run)(
  'a store that hides its 403s (Ceph RGW, S3) behind missing CORS headers',
  () => {
    it('recovers dead links that fail only as network errors, with 2 s links, and stores identical bytes', async () => {
      const demo = await startDemoSite({
        dist,
        // Storage refuses each part's first link as expired, with no CORS headers: the browser
        // sees a bare network error twice, and only a fresh link gets the part through.
        emulator: {
          faults: { seed: 11, opaqueStorageErrors: true, staleFirstLinks: true, urlTtlSeconds: 2 },
        },
      });
      const name = 'opaque-links.parquet';
      const path = await makeTempFile(40 * MiB + 3, name);
      const page = await openDemo(session, demo);
      try {
        await page.setInputFiles('[data-testid="drop-zone-input"]', [path]);
        await waitForState(page, name, 'completed', 180_000);
        expect(await storedHash(demo.emu, name)).toBe(await sha256File(path));
        const acc = demo.emu.accounting();
        // Six parts: each refused on its first link, then sent on a refreshed one.
        expect(acc.putSuccesses).toBe(6);
        expect(acc.refreshes).toBeGreaterThan(0);
      } finally {
        await page.close();
        await demo.close();
      }
    });
  },
);
