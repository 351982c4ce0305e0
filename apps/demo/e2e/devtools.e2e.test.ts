import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningEmulator } from '@atai-upload/emulator';
import { type BrowserPage, click, makeTempFile, waitUntil } from '@atai-upload/test-support';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDemo,
  engineSession,
  MiB,
  resetFaults,
  SHOTS,
  startDemoEmulator,
  waitForPicker,
  waitForState,
} from './demo-site.js';

// React Query Devtools: mounted by the dev server's demo (lazily), absent from the production
// bundle. Both halves look for the same marker, a string the devtools' own code carries: the
// dev server must serve it (so the grep of the bundle looks for something real) and the
// production build must not contain it.

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
// The devtools' custom element name and the label of their toggle button.
const MARKERS = ['TanstackQueryDevtools', 'Open Tanstack query devtools'];

/** Every file under `dir`, with its path relative to `dir`. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(dir, join(prefix, e.name)) : [join(prefix, e.name)],
  );
}

describe('React Query Devtools in the demo', () => {
  it('the production build holds no devtools code: no chunk, no marker, no source', async () => {
    const dist = await buildDemo();
    try {
      const files = filesUnder(dist);
      expect(files.some((f) => f.endsWith('.js'))).toBe(true);
      expect(files.filter((f) => /devtools/i.test(f))).toEqual([]);
      for (const f of files.filter((x) => x.endsWith('.js') || x.endsWith('.html'))) {
        const text = readFileSync(join(dist, f), 'utf8');
        for (const m of MARKERS) expect(text.includes(m), `${m} in ${f}`).toBe(false);
      }
      // The source maps list every module bundled: none from the devtools packages.
      for (const f of files.filter((x) => x.endsWith('.map'))) {
        const { sources } = JSON.parse(readFileSync(join(dist, f), 'utf8')) as {
          sources: string[];
        };
        expect(sources.filter((s) => /node_modules\/.*query-devtools/.test(s))).toEqual([]);
      }
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });

  describe('on the dev server (Chromium)', () => {
    const { run, session } = engineSession('chromium');
    let emu: RunningEmulator;
    let dev: ViteDevServer;
    let devUrl: string;
    let file: string;

    beforeAll(async () => {
      if (!run) return;
      emu = await startDemoEmulator();
      dev = await createServer({
        root: appRoot,
        configFile: join(appRoot, 'vite.config.ts'),
        logLevel: 'warn',
        server: { port: 0, strictPort: false, hmr: false },
      });
      await dev.listen();
      devUrl = dev.resolvedUrls?.local[0]?.replace(/\/$/, '') ?? '';
      file = await makeTempFile(96 * MiB, 'devtools-demo.parquet');
    }, 120_000);

    afterAll(async () => {
      await dev?.close();
      await emu?.close();
      if (file) rmSync(dirname(file), { recursive: true, force: true });
    });

    it.skipIf(!run)(
      'the devtools mount lazily and list the upload steps as mutations while it runs',
      async () => {
        // Slow enough (4 MiB/s per connection) that part PUTs are in flight when we look.
        emu.setFaults({ bandwidthBytesPerSec: 4 * MiB });
        const page: BrowserPage = await session().newPage({ width: 1280, height: 900 });
        try {
          const { apiUrl, apiKey } = emu;
          await page.goto(`${devUrl}/?apiBaseUrl=${encodeURIComponent(apiUrl)}&apiKey=${apiKey}`);
          await waitForPicker(page);
          // The toggle appears once the lazy chunk has loaded.
          await waitUntil(page, 'the devtools toggle', { timeout: 60_000 }, () =>
            Boolean(document.querySelector('button[aria-label="Open Tanstack query devtools"]')),
          );
          // The module the dev server served for it carries the markers the build test greps for.
          const served = await page.evaluate(() =>
            performance
              .getEntriesByType('resource')
              .map((e) => e.name)
              .filter((n) => n.includes('query-devtools')),
          );
          expect(served.length).toBeGreaterThan(0);
          const bodies = await Promise.all(served.map((u) => fetch(u).then((r) => r.text())));
          expect(bodies.some((b) => b.includes(MARKERS[0]!))).toBe(true);

          await page.setInputFiles('input[type=file]', [file]);
          await waitForState(page, 'devtools-demo.parquet', 'uploading', 60_000);
          await click(page, 'button[aria-label="Open Tanstack query devtools"]');
          await click(page, 'label, button', 'Mutations');
          const listed = () =>
            page.evaluate(
              () => document.querySelector('.tsqd-parent-container')?.textContent ?? '',
            );
          await waitUntil(page, 'part PUT mutations in the devtools', { timeout: 30_000 }, () =>
            /putPart/.test(document.querySelector('.tsqd-parent-container')?.textContent ?? ''),
          );
          expect(await listed()).toMatch(/atai-upload/);
          expect(await listed()).toMatch(/initiate/);
          // The devtools cover the lower half: scroll the upload's panel up into the top half.
          await page.evaluate(() =>
            document
              .querySelector('[data-testid="upload-panel"]')
              ?.scrollIntoView({ block: 'start', behavior: 'instant' }),
          );
          await page.screenshot(join(SHOTS, 'devtools-dev-uploading.png'));
          await waitForState(page, 'devtools-demo.parquet', 'completed', 120_000);
          await waitUntil(page, 'the complete mutation', { timeout: 10_000 }, () =>
            /complete/.test(document.querySelector('.tsqd-parent-container')?.textContent ?? ''),
          );
          expect(await listed()).toMatch(/checkpoint/);
          await page.screenshot(join(SHOTS, 'devtools-dev-completed.png'));
        } finally {
          resetFaults(emu);
          await page.close();
        }
      },
    );
  });
});
