import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type BrowserPage,
  click,
  ENGINES,
  type Engine,
  makeTempFile,
  sha256File,
  startShiftRecorder,
  stopShiftRecorder,
  waitUntil,
} from '@atai-upload/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DemoSite,
  engineSession,
  MiB,
  openDemo,
  PART,
  panelText,
  resetFaults,
  SHOTS,
  startDemoSite,
  storedHash,
  uploadsOf,
  waitForPicker,
  waitForState,
} from './demo-site.js';

// The demo's scenarios, the same steps in every engine: a clean upload stored byte for byte
// with its CRC-32C verified, chaos switched on from the settings drawer, a reload mid-upload
// that resumes, and cancel.
const BATCH = 8; // the demo's default checkpoint batch

// Chromium keeps the 1 GiB upload; Firefox and WebKit move bytes through the same engine code,
// so a few hundred MiB exercise them fully (many parts, several checkpoints, the CRC worker)
// and keep the suite well inside CI's budget (see the README's test table).
const CLEAN_SIZE: Record<Engine, number> = {
  chromium: 1024 * MiB,
  firefox: 384 * MiB,
  webkit: 384 * MiB,
};

let demo: DemoSite;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  demo = await startDemoSite();
}, 120_000);

afterAll(async () => {
  await demo?.close();
});

const mib = (bytes: number) => `${Math.round(bytes / MiB)}mib`;
const panelOf = (name: string) => `[data-testid="upload-panel"]:has([title="${name}"])`;

/** Resolves once the panel of `name` has reached `percent` or more. */
async function waitForPercent(page: BrowserPage, name: string, percent: number): Promise<void> {
  await waitUntil(
    page,
    `${name} at ${percent}%`,
    { timeout: 120_000 },
    (sel: string, min: number) => {
      const bar = document.querySelector(`${sel} [role="progressbar"]`);
      return Number(bar?.getAttribute('aria-valuenow') ?? 0) >= min;
    },
    panelOf(name),
    percent,
  );
}

describe.each(ENGINES)('demo app in %s', (engine: Engine) => {
  const { run, session } = engineSession(engine);

  it.skipIf(!run)(
    `uploads a generated ${CLEAN_SIZE[engine] / MiB} MiB file byte-identically, with a verified CRC-32C`,
    async () => {
      const size = CLEAN_SIZE[engine];
      const name = `clean-${engine}-${mib(size)}.parquet`;
      const path = await makeTempFile(size, name);
      // Tall enough for the whole finished panel in WebKit's viewport-only screenshots.
      const page = await openDemo(session(), demo, { width: 1100, height: 1200 });
      try {
        const t0 = Date.now();
        await page.setInputFiles('[data-testid="drop-zone-input"]', [path]);
        await waitForState(page, name, 'uploading', 30_000);
        await waitForPercent(page, name, 25);
        await page.screenshot(join(SHOTS, `panel-${engine}-uploading.png`), panelOf(name));
        await waitForState(page, name, 'completed');
        const seconds = (Date.now() - t0) / 1000;
        console.log(
          `${engine}: ${size / MiB} MiB through the demo in ${seconds.toFixed(1)} s ` +
            `(${(size / MiB / seconds).toFixed(0)} MiB/s)`,
        );
        await page.screenshot(join(SHOTS, `panel-${engine}-completed.png`), panelOf(name));
        await expect(panelText(page, name)).resolves.toMatch(/CRC-32C verified by the server/);
        expect(await storedHash(demo.emu, name)).toBe(await sha256File(path));
        expect(demo.emu.accounting().storageAuthorizationHeaders).toBe(0);
      } finally {
        await page.close();
      }
    },
  );

  it.skipIf(!run)(
    'with chaos switched on in the settings drawer, a 256 MiB upload holds still and completes identical',
    async () => {
      const size = 256 * MiB;
      const name = `chaos-${engine}-${mib(size)}.parquet`;
      const path = await makeTempFile(size, name);
      const before = demo.emu.accounting().faultsInjected;
      const page = await openDemo(session(), demo);
      try {
        await click(page, 'header button', 'Settings');
        await click(page, 'dialog input[type=checkbox]', 'Inject faults');
        await click(page, 'dialog button', 'Close');
        await waitUntil(page, '"Chaos on"', { timeout: 10_000 }, () =>
          document.body.textContent?.includes('Chaos on'),
        );
        await expect.poll(() => demo.emu.getFaults().partPut.error5xxRate).toBeGreaterThan(0);
        // Retry and link-refresh hints come and go all through this upload: the room kept for
        // them means nothing moves while it runs.
        await startShiftRecorder(page, {
          ticks: 'section[aria-label="All uploads"]',
          from: `${panelOf(name)}[data-state="uploading"]`,
          until: `${panelOf(name)}:not([data-state="uploading"])`,
        });
        await page.setInputFiles('[data-testid="drop-zone-input"]', [path]);
        await waitForState(page, name, 'completed');
        const shifts = await stopShiftRecorder(page);
        console.log(
          `${engine}: chaos layout shift API ${shifts.api?.toFixed(4) ?? 'n/a'}, sampled ` +
            `${shifts.sampled.toFixed(4)} over ${shifts.ms} ms; moved: ${shifts.moved.join('; ')}`,
        );
        expect(shifts.sampled).toBeLessThan(0.01);
        if (shifts.api !== null) expect(shifts.api).toBeLessThan(0.01);
        // 32 parts at 18% part faults (and 7% on API calls): none at all is a 1-in-500 draw.
        const after = demo.emu.accounting().faultsInjected;
        const kinds = ['put5xx', 'put429', 'putDrop', 'api5xx', 'api429'] as const;
        const injected = kinds.reduce((n, k) => n + after[k] - before[k], 0);
        console.log(`${engine}: chaos upload healed ${injected} injected faults`);
        expect(injected).toBeGreaterThan(0);
        resetFaults(demo.emu); // the download below is the test's, not the app's: no 429s for it
        expect(await storedHash(demo.emu, name)).toBe(await sha256File(path));
      } finally {
        resetFaults(demo.emu);
        await page.close();
      }
    },
  );

  it.skipIf(!run)(
    'after a reload mid-upload, the shelf lists the upload; picking the same file resumes and re-sends at most one checkpoint batch',
    async () => {
      const size = 256 * MiB;
      const name = `reload-${engine}-${mib(size)}.parquet`;
      const path = await makeTempFile(size, name);
      demo.emu.setFaults({ bandwidthBytesPerSec: 12 * MiB });
      const page = await openDemo(session(), demo);
      try {
        const start = demo.emu.accounting();
        await page.setInputFiles('[data-testid="drop-zone-input"]', [path]);
        await waitForState(page, name, 'uploading', 30_000);
        await expect
          .poll(() => demo.emu.accounting().putSuccesses - start.putSuccesses, {
            timeout: 60_000,
            interval: 100,
          })
          .toBeGreaterThanOrEqual(12);
        await page.reload();
        await waitForPicker(page);
        // Before any pick, the recovery shelf lists the upload (read from IndexedDB).
        await waitUntil(
          page,
          `${name} on the recovery shelf`,
          { timeout: 30_000 },
          (file: string) =>
            [
              ...document.querySelectorAll(
                '[data-testid="recovery-shelf"] [data-testid="upload-panel"][data-state="interrupted"]',
              ),
            ].some((p) => p.textContent?.includes(file)),
          name,
        );
        demo.emu.setFaults({ bandwidthBytesPerSec: 0 });
        const beforeResume = demo.emu.accounting();
        await page.setInputFiles('[data-testid="drop-zone-input"]', [path]);
        await waitForState(page, name, 'completed');
        const after = demo.emu.accounting();
        // the same server upload was continued, not a new one started
        expect(uploadsOf(demo.emu, name)).toHaveLength(1);
        const firstSession = beforeResume.bytesStored - start.bytesStored;
        const secondSession = after.bytesStored - beforeResume.bytesStored;
        const resent = after.resentBytes - beforeResume.resentBytes;
        console.log(
          `${engine} reload: ${(firstSession / MiB).toFixed(0)} MiB before, ` +
            `${(secondSession / MiB).toFixed(0)} MiB after, ${(resent / MiB).toFixed(0)} MiB re-sent ` +
            `(limit ${(BATCH * PART) / MiB} MiB)`,
        );
        expect(secondSession).toBeLessThanOrEqual(size - firstSession + BATCH * PART);
        expect(resent).toBeLessThanOrEqual(BATCH * PART);
        expect(after.bytesStored - start.bytesStored).toBeLessThan(size + BATCH * PART);
        expect(await storedHash(demo.emu, name)).toBe(await sha256File(path));
      } finally {
        resetFaults(demo.emu);
        await page.close();
      }
    },
  );

  it.skipIf(!run)('cancel aborts the upload on the server', async () => {
    const name = `cancel-${engine}-128mib.parquet`;
    const path = await makeTempFile(128 * MiB, name);
    demo.emu.setFaults({ bandwidthBytesPerSec: 4 * MiB });
    const page = await openDemo(session(), demo);
    try {
      await page.setInputFiles('[data-testid="drop-zone-input"]', [path]);
      await waitForState(page, name, 'uploading', 30_000);
      await click(page, `button[aria-label="Cancel ${name}"]`);
      await waitForState(page, name, 'aborted', 30_000);
      expect(uploadsOf(demo.emu, name).map((u) => u?.status)).toEqual(['aborted']);
    } finally {
      resetFaults(demo.emu);
      await page.close();
    }
  });
});
