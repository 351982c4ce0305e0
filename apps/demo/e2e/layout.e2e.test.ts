import { appendFileSync, linkSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type BrowserPage,
  ENGINES,
  type Engine,
  makeTempFile,
  startShiftRecorder,
  stopShiftRecorder,
  waitForTicks,
} from '@atai-upload/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DemoSite,
  engineSession,
  MiB,
  openDemo,
  panelState,
  panelText,
  resetFaults,
  SHOTS,
  startDemoSite,
  uploadsOf,
  waitForState,
} from './demo-site.js';

// Layout stability while an upload runs: nothing on the page may move under the pointer.
// A file uploads at a capped rate; from the DOM update that shows it uploading until 24
// progress ticks later, the layout-shift score must stay below 0.01: the Layout Instability
// API's in Chromium, and in every engine the same formula over element boxes sampled each
// frame. Then a real pointer click lands where Cancel was when uploading began, as the
// click of a user who aimed then would, and must cancel the upload.

const WIDTHS = [
  { width: 1280, height: 800 },
  { width: 1024, height: 768 },
  { width: 390, height: 844 },
];
// Queue totals tick about four times a second: 24 ticks are five seconds of uploading or more.
const TICKS = 24;
const LIMIT = 0.01;
// Per connection; four in flight make 16 MiB/s, so 256 MiB lasts well past 24 ticks.
const BANDWIDTH = 4 * MiB;

let demo: DemoSite;
let source: string;
let names = 0;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(join(SHOTS, 'layout-shift.jsonl'), ''); // this run's scores only
  demo = await startDemoSite();
  source = await makeTempFile(256 * MiB, 'layout.parquet');
}, 120_000);

afterAll(async () => {
  await demo?.close();
});

/** A fresh name for the same bytes (a hard link), so no test resumes another's upload. */
function freshFile(tag: string): { name: string; path: string } {
  names += 1;
  const name = `shift-${tag}-${names}.parquet`;
  const path = join(mkdtempSync(join(tmpdir(), 'atai-layout-')), name);
  linkSync(source, path);
  return { name, path };
}

/** Polls until the panel leaves `from` (or `timeout` passes) and returns its state then. */
async function stateAfter(page: BrowserPage, name: string, from: string, timeout: number) {
  const deadline = Date.now() + timeout;
  let state = await panelState(page, name);
  while (state === from && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    state = await panelState(page, name);
  }
  return state;
}

describe.each(ENGINES)('%s: the demo holds still while uploading', (engine: Engine) => {
  const { run, session } = engineSession(engine);

  it.skipIf(!run).each(WIDTHS)(
    'at $width px: layout-shift score < 0.01 over 24 ticks, and a click on Cancel cancels',
    async (viewport) => {
      const file = freshFile(`${engine}-${viewport.width}`);
      demo.emu.setFaults({ bandwidthBytesPerSec: BANDWIDTH });
      const abortsBefore = demo.emu.accounting().aborts;
      const page = await openDemo(session(), demo, viewport);
      try {
        const panel = '[data-testid="upload-panel"]';
        await startShiftRecorder(page, {
          ticks: 'section[aria-label="All uploads"]',
          from: `${panel}[data-state="uploading"]`,
          until: `${panel}:not([data-state="uploading"])`,
          aim: `button[aria-label="Cancel ${file.name}"]`,
        });
        await page.setInputFiles('[data-testid="drop-zone-input"]', [file.path]);
        await waitForTicks(page, TICKS, 120_000);
        const report = await stopShiftRecorder(page);
        const aim = report.aim;
        if (!aim) throw new Error('no Cancel button when the upload began');
        const under = await page.evaluate(
          (x: number, y: number) =>
            document.elementFromPoint(x, y)?.closest('button')?.getAttribute('aria-label') ?? null,
          aim.x,
          aim.y,
        );
        console.log(
          `${engine} ${viewport.width}px: layout-shift API ${report.api?.toFixed(4) ?? 'n/a'}, ` +
            `sampled ${report.sampled.toFixed(4)} over ${report.ms} ms (${report.ticks} ticks, ${report.frames} frames); ` +
            `under the pointer: ${under}`,
        );
        // Kept beside the screenshots: vitest may drop a console line from a busy run.
        const { api, sampled, ms, ticks, frames } = report;
        const row = { engine, width: viewport.width, api, sampled, ms, ticks, frames, under };
        appendFileSync(join(SHOTS, 'layout-shift.jsonl'), `${JSON.stringify(row)}\n`);
        if (report.apiSources.length > 0) console.log(`  API: ${report.apiSources.join('; ')}`);
        if (report.moved.length > 0) console.log(`  moved: ${report.moved.join('; ')}`);

        const shot = join(SHOTS, `layout-${engine}-${viewport.width}`);
        await page.screenshot(`${shot}-uploading.png`);
        await page.clickAt(aim.x, aim.y);
        const afterClick = await stateAfter(page, file.name, 'uploading', 30_000);
        await page.screenshot(`${shot}-cancelled.png`);

        // Soft, so a score over the limit still lets the click show where it lands.
        expect.soft(report.sampled).toBeLessThan(LIMIT);
        if (report.api !== null) expect.soft(report.api).toBeLessThan(LIMIT);
        expect(under).toBe(`Cancel ${file.name}`);
        expect(['aborting', 'aborted']).toContain(afterClick);
        await waitForState(page, file.name, 'aborted', 30_000);
        await expect(panelText(page, file.name)).resolves.toMatch(/Upload cancelled/);
        // The emulator agrees, in its accounting and through its admin route.
        expect(demo.emu.accounting().aborts).toBe(abortsBefore + 1);
        const [upload] = uploadsOf(demo.emu, file.name);
        const admin = await fetch(`${demo.emu.adminUrl}/uploads/${upload?.uploadId}`);
        expect(((await admin.json()) as { status: string }).status).toBe('aborted');
      } finally {
        resetFaults(demo.emu);
        await page.close();
      }
    },
  );
});
