import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.js';

// The staleFirstLinks fault: storage refuses the first link presented for each part (and
// keeps refusing it), while any other valid link for the part works.
let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({
    apiPort: 0,
    storagePort: 0,
    dataDir: mkdtempSync(join(tmpdir(), 'atai-stale-')),
    apiKey: 'k',
    faults: { staleFirstLinks: true, urlTtlSeconds: 2 },
  });
});
afterAll(async () => {
  await emu?.close();
});

const api = (path: string, body: unknown) =>
  fetch(`${emu.apiUrl}${path}`, {
    method: 'POST',
    headers: { Authorization: 'Bearer k', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  }).then((r) => r.json() as Promise<Record<string, unknown>>);

describe('staleFirstLinks', () => {
  it('refuses the first link of a part as expired, twice, and takes a refreshed one', async () => {
    const init = (await api('/files/uploads/initiate', {
      filename: 'stale.csv',
      file_type: 'text/csv',
      num_bytes: 5,
    })) as { upload_id: string; parts: { url: string }[] };
    const first = init.parts[0]!.url;
    const put = (url: string) => fetch(url, { method: 'PUT', body: 'a,b\n1' });
    const a = await put(first);
    expect(a.status).toBe(403);
    expect(await a.text()).toContain('Request has expired');
    expect((await put(first)).status).toBe(403);
    // Once half of its 2 s life is gone, a refresh gives the part a new link.
    await new Promise((r) => setTimeout(r, 1500));
    const fresh = (await api(`/files/uploads/${init.upload_id}/parts/urls`, {
      part_numbers: [0],
    })) as { parts: { url: string }[] };
    expect(fresh.parts[0]!.url).not.toBe(first);
    expect((await put(fresh.parts[0]!.url)).status).toBe(200);
  });
});
