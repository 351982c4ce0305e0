import { type BrowserPage, makeTempFile, sha256File } from '@atai-upload/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DemoSite,
  engineSession,
  MiB,
  openDemo,
  PART,
  panelText,
  startDemoSite,
  storedHash,
  waitForPicker,
  waitForState,
} from './demo-site.js';

// The demo's clean and reload-resume scenarios again, in Chromium, with the emulator storing on
// a real S3 store (the `e2e-rgw` project: Ceph RGW from scripts/ceph-s3.sh). Part PUTs go to the
// bucket's presigned URLs, so what the emulator cannot see (PUTs) is recorded in the page.
const BATCH = 8; // the demo's default checkpoint batch

/** Records every part PUT the page makes (XHR and fetch): URL and final status (0: network error). */
async function recordPuts(page: BrowserPage): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __puts?: Array<{ url: string; status: number }> };
    if (w.__puts) return;
    const puts: Array<{ url: string; status: number }> = [];
    w.__puts = puts;
    const open = XMLHttpRequest.prototype.open;
    const send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...args: unknown[]) {
      (this as unknown as { __put?: string }).__put =
        String(args[0]).toUpperCase() === 'PUT' ? String(args[1]) : undefined;
      return (open as (...a: unknown[]) => void).apply(this, args);
    } as typeof open;
    XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body) {
      const url = (this as unknown as { __put?: string }).__put;
      if (url) this.addEventListener('loadend', () => puts.push({ url, status: this.status }));
      return send.call(this, body);
    };
    const fetch0 = window.fetch;
    window.fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      const method = (
        init?.method ?? (input instanceof Request ? input.method : 'GET')
      ).toUpperCase();
      if (method !== 'PUT') return fetch0(input, init);
      try {
        const res = await fetch0(input, init);
        puts.push({ url, status: res.status });
        return res;
      } catch (err) {
        puts.push({ url, status: 0 });
        throw err;
      }
    };
  });
}

/** The part numbers (API numbering, 0-based) of the recorded PUTs with this outcome. */
async function putParts(page: BrowserPage, ok: boolean): Promise<number[]> {
  const puts = await page.evaluate(
    () => (window as unknown as { __puts?: Array<{ url: string; status: number }> }).__puts ?? [],
  );
  return puts
    .filter((p) => (p.status === 200) === ok)
    .map((p) => Number(new URL(p.url).searchParams.get('partNumber')) - 1);
}

describe('demo app on a real S3 store (Ceph RGW), Chromium', () => {
  const { run, session } = engineSession('chromium');
  let demo: DemoSite;

  beforeAll(async () => {
    if (run) demo = await startDemoSite();
  }, 120_000);

  afterAll(async () => {
    await demo?.close();
  });

  it.skipIf(!run)(
    'uploads 512 MiB byte-identically with a CRC-32C the server verified',
    async () => {
      expect(demo.emu.storage).toBe('s3');
      const size = 512 * MiB;
      const name = 'rgw-clean-512mib.parquet';
      const path = await makeTempFile(size, name);
      const page = await openDemo(session(), demo);
      try {
        await recordPuts(page);
        const t0 = Date.now();
        await page.setInputFiles('[data-testid="drop-zone-input"]', [path]);
        await waitForState(page, name, 'completed');
        console.log(`rgw: ${size / MiB} MiB in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        await expect(panelText(page, name)).resolves.toMatch(/CRC-32C verified by the server/);
        expect((await putParts(page, true)).length).toBe(size / PART);
        expect(await storedHash(demo.emu, name)).toBe(await sha256File(path));
      } finally {
        await page.close();
      }
    },
  );

  it.skipIf(!run)(
    'after a reload mid-upload, picking the same file resumes and re-sends at most one batch',
    async () => {
      const size = 512 * MiB;
      const parts = size / PART;
      const name = 'rgw-reload-512mib.parquet';
      const path = await makeTempFile(size, name);
      const page = await openDemo(session(), demo);
      try {
        await recordPuts(page);
        await page.setInputFiles('[data-testid="drop-zone-input"]', [path]);
        await waitForState(page, name, 'uploading', 30_000);
        // The bucket has no bandwidth cap to slow it: reload as soon as a dozen parts are in.
        for (let i = 0; i < 600 && (await putParts(page, true)).length < 12; i++) {
          await new Promise((r) => setTimeout(r, 25));
        }
        const before = new Set(await putParts(page, true));
        expect(before.size).toBeGreaterThanOrEqual(12);
        expect(before.size).toBeLessThan(parts);
        await page.reload();
        await waitForPicker(page);
        await recordPuts(page);
        await page.setInputFiles('[data-testid="drop-zone-input"]', [path]);
        await waitForState(page, name, 'completed');
        const after = await putParts(page, true);
        const resent = after.filter((n) => before.has(n)).length;
        console.log(
          `rgw reload: ${before.size} parts before, ${after.length} after, ${resent} re-sent ` +
            `(limit ${BATCH})`,
        );
        expect(resent).toBeLessThanOrEqual(BATCH);
        expect(new Set([...before, ...after]).size).toBe(parts);
        expect(await storedHash(demo.emu, name)).toBe(await sha256File(path));
      } finally {
        await page.close();
      }
    },
  );

  it.skipIf(!run)(
    'recovers links the store refuses as expired, which reach the page only as network errors',
    async () => {
      // Each part's first link is signed already expired (the staleFirstLinks fault) and every
      // link lives 2 s: RGW answers expired links with a 403 without CORS headers, the browser
      // sees a network error, and only a fresh link from parts/urls gets the part in.
      demo.emu.setFaults({ staleFirstLinks: true, urlTtlSeconds: 2 });
      const name = 'rgw-expired-links.parquet';
      const path = await makeTempFile(40 * MiB + 3, name);
      const page = await openDemo(session(), demo);
      try {
        await recordPuts(page);
        await page.setInputFiles('[data-testid="drop-zone-input"]', [path]);
        await waitForState(page, name, 'completed', 180_000);
        expect((await putParts(page, false)).length).toBeGreaterThanOrEqual(6);
        expect((await putParts(page, true)).length).toBe(6);
        expect(demo.emu.accounting().refreshes).toBeGreaterThan(0);
        expect(await storedHash(demo.emu, name)).toBe(await sha256File(path));
      } finally {
        demo.emu.setFaults({ staleFirstLinks: false, urlTtlSeconds: 3600 });
        await page.close();
      }
    },
  );
});
