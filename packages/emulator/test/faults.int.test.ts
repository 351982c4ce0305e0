import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32cSync, crc32cToBase64 } from '@atai-upload/crc32c';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_FAULTS, type RunningEmulator, SUPPORTED_FILE_TYPES } from '../src/index.js';
import {
  call,
  download,
  firstError,
  initiate,
  putAll,
  putPart,
  startTemp,
  stopTemp,
  testBytes,
} from './helpers.js';

const PART = 2048;
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startTemp({ partSize: PART, faults: { seed: 42 } });
});
afterAll(() => stopTemp(emu));
beforeEach(async () => {
  await emu.reset();
  emu.setFaults({
    ...DEFAULT_FAULTS,
    partPut: { ...DEFAULT_FAULTS.partPut },
    api: { ...DEFAULT_FAULTS.api },
  });
});

const md5 = (data: Uint8Array): string => `"${createHash('md5').update(data).digest('hex')}"`;

describe('storage PUT faults', () => {
  it('injects 5xx with Connection: close; nothing is stored', async () => {
    const init = await initiate(emu, 'e5.csv', PART);
    emu.setFaults({ partPut: { error5xxRate: 1 } });
    const r = await putPart(init.body.parts[0]!, testBytes(PART));
    expect([500, 502, 503]).toContain(r.status);
    expect(r.headers.get('connection')).toBe('close');
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    const acc = emu.accounting();
    expect(acc.faultsInjected.put5xx).toBe(1);
    expect(acc.wastedBytes).toBe(PART);
    expect(acc.bytesReceived).toBe(PART);
    expect(acc.putSuccesses).toBe(0);
    expect(emu.upload(init.body.upload_id)?.uploadedParts).toEqual([]);
  });

  it('injects 429 with Retry-After', async () => {
    const init = await initiate(emu, 'e429.csv', PART);
    emu.setFaults({ partPut: { error429Rate: 1 }, retryAfterSeconds: 3 });
    const r = await putPart(init.body.parts[0]!, testBytes(PART));
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('3');
    expect(emu.accounting().faultsInjected.put429).toBe(1);
  });

  it('drops the connection mid-body and counts it', async () => {
    const init = await initiate(emu, 'drop.csv', PART);
    emu.setFaults({ partPut: { dropRate: 1 } });
    await expect(putPart(init.body.parts[0]!, testBytes(PART))).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 50));
    const acc = emu.accounting();
    expect(acc.faultsInjected.putDrop).toBe(1);
    expect(acc.putRequests).toBe(1);
    expect(acc.putSuccesses).toBe(0);
    expect(acc.bytesStored).toBe(0);
    expect(acc.wastedBytes).toBe(acc.bytesReceived);
    expect(acc.bytesReceived).toBeLessThan(PART);
    expect(emu.upload(init.body.upload_id)?.uploadedParts).toEqual([]);
    // The next attempt on a fresh connection goes through once the fault is off.
    emu.setFaults({ partPut: { dropRate: 0 } });
    expect((await putPart(init.body.parts[0]!, testBytes(PART))).status).toBe(200);
  });

  it('corrupts a byte before hashing: ETag matches, only the whole-file CRC-32C catches it', async () => {
    emu.setFaults({ partPut: { corruptRate: 1 } });
    const data = testBytes(3 * PART, 5);
    const init = await initiate(emu, 'corrupt.csv', data.length);
    const tokens = await putAll(init.body.parts, data);
    for (const [i, t] of tokens.entries()) {
      expect(t.part_token).not.toBe(md5(data.subarray(i * PART, (i + 1) * PART)));
    }
    expect(emu.accounting().faultsInjected.putCorrupt).toBe(3);
    // Checkpoint accepts the (corrupt) ETags: they match what storage received.
    const ck = await call(emu, `/files/uploads/${init.body.upload_id}/parts/checkpoint`, {
      parts: tokens,
    });
    expect(ck.body).toEqual({ num_checkpointed: 3 });
    const r = await call(emu, `/files/uploads/${init.body.upload_id}/complete`, {
      parts: [],
      integrity_checksum: crc32cToBase64(crc32cSync(data)),
    });
    expect(r.status).toBe(400);
    expect(firstError(r).code).toBe('integrity_checksum_mismatch');
    expect((await call(emu, '/files/metadata/corrupt.csv')).body.file_status).toBe(
      'FILE_STATUS_CORRUPT',
    );

    // Without a checksum the corruption goes unnoticed: exactly one flipped byte per part.
    const again = await initiate(emu, 'corrupt2.csv', data.length);
    const t2 = await putAll(again.body.parts, data);
    const ok = await call(emu, `/files/uploads/${again.body.upload_id}/complete`, { parts: t2 });
    expect(ok.status).toBe(200);
    const stored = new Uint8Array(await (await download(emu, 'corrupt2.csv')).arrayBuffer());
    const diffs = stored.reduce((n, b, i) => n + (b !== data[i] ? 1 : 0), 0);
    expect(diffs).toBe(3);
  });

  it('is reproducible for a given seed', async () => {
    const statuses = async (): Promise<number[]> => {
      emu.setFaults({ seed: 1234, partPut: { error5xxRate: 0.5 } });
      const init = await initiate(emu, 'seeded.csv', PART);
      const out = [];
      for (let i = 0; i < 12; i++)
        out.push((await putPart(init.body.parts[0]!, testBytes(PART))).status);
      return out;
    };
    const a = await statuses();
    const b = await statuses();
    expect(a).toEqual(b);
    expect(a).toContain(200);
    expect(a.some((s) => s >= 500)).toBe(true);
  });
});

describe('API faults', () => {
  it('injects 5xx and 429 before the operation, without side effects', async () => {
    emu.setFaults({ api: { error5xxRate: 1 } });
    const r = await initiate(emu, 'api5xx.csv', 10);
    expect([500, 502, 503]).toContain(r.status);
    expect(firstError(r).suggestion).toBe('Retry the request');
    emu.setFaults({ api: { error5xxRate: 0, error429Rate: 1 }, retryAfterSeconds: 2 });
    const t = await initiate(emu, 'api429.csv', 10);
    expect(t.status).toBe(429);
    expect(t.headers.get('retry-after')).toBe('2');
    expect(firstError(t)).toMatchObject({ code: 'rate_limited', suggestion: 'Retry after 2 s' });
    const acc = emu.accounting();
    expect(acc.faultsInjected).toMatchObject({ api5xx: 1, api429: 1 });
    expect(acc.initiates).toBe(0);
    emu.setFaults({ api: { error429Rate: 0 } });
    const init = await initiate(emu, 'api-ok.csv', 10);
    expect(init.status).toBe(200);
    // A faulted complete must leave the upload completable.
    const tokens = await putAll(init.body.parts, testBytes(10));
    emu.setFaults({ api: { error5xxRate: 1 } });
    const failed = await call(emu, `/files/uploads/${init.body.upload_id}/complete`, {
      parts: tokens,
    });
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(emu.upload(init.body.upload_id)?.status).toBe('in_progress');
    emu.setFaults({ api: { error5xxRate: 0 } });
    const done = await call(emu, `/files/uploads/${init.body.upload_id}/complete`, {
      parts: tokens,
    });
    expect(done.status).toBe(200);
  });

  it('adds latency to every request', async () => {
    emu.setFaults({ latencyMs: 250 });
    const started = performance.now();
    const r = await call(emu, '/files/metadata');
    expect(r.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
  });
});

describe('admin routes', () => {
  it('reports state, patches faults by deep merge, and validates patches', async () => {
    const origin = 'http://localhost:5173';
    const state = await fetch(`${emu.adminUrl}/state`, { headers: { Origin: origin } });
    expect(state.status).toBe(200);
    expect(state.headers.get('access-control-allow-origin')).toBe(origin);
    const body = (await state.json()) as Record<string, unknown>;
    expect(body.config).toEqual({
      partSize: PART,
      integrity: 'crc32c',
      fileTypes: [...SUPPORTED_FILE_TYPES],
      apiUrl: emu.apiUrl,
      storageUrl: emu.storageUrl,
    });
    expect(body).toHaveProperty('faults.partPut.dropRate', 0);
    expect(body).toHaveProperty('accounting.putRequests', 0);

    const pre = await fetch(`${emu.adminUrl}/faults`, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-methods')).toContain('PUT');

    const patch = async (method: string, p: unknown): Promise<Response> =>
      fetch(`${emu.adminUrl}/faults`, {
        method,
        headers: { 'Content-Type': 'application/json', Origin: origin },
        body: JSON.stringify(p),
      });
    const a = await patch('PUT', { partPut: { dropRate: 0.25 } });
    expect(a.status).toBe(200);
    const b = await patch('POST', { partPut: { corruptRate: 0.5 }, latencyMs: 5 });
    const merged = (await b.json()) as { partPut: Record<string, number>; latencyMs: number };
    expect(merged.partPut).toEqual({
      error5xxRate: 0,
      error429Rate: 0,
      dropRate: 0.25,
      corruptRate: 0.5,
    });
    expect(merged.latencyMs).toBe(5);
    expect(emu.getFaults().partPut.dropRate).toBe(0.25);
    expect(await (await fetch(`${emu.adminUrl}/faults`)).json()).toEqual(emu.getFaults());

    for (const bad of [
      { partPut: { dropRate: 2 } },
      { nope: 1 },
      { exposeEtag: 'no' },
      { opaqueStorageErrors: 1 },
      { urlTtlSeconds: 0 },
    ]) {
      const r = await patch('PUT', bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      const body = (await r.json()) as { errors: Array<{ code: string }> };
      expect(body.errors.map((e) => e.code)).toEqual(['invalid_faults']);
    }
    expect(() => emu.setFaults({ api: { error429Rate: -1 } })).toThrow(RangeError);
    expect(emu.setFaults({ api: { error429Rate: 0.1 } }).api).toEqual({
      error5xxRate: 0,
      error429Rate: 0.1,
    });
  });

  it('shows uploads and accounting, and resets everything', async () => {
    const data = testBytes(2 * PART);
    const init = await initiate(emu, 'admin.csv', data.length);
    const tokens = await putAll(init.body.parts, data);
    await call(emu, `/files/uploads/${init.body.upload_id}/parts/checkpoint`, {
      parts: [tokens[0]],
    });
    const snap = await fetch(`${emu.adminUrl}/uploads/${init.body.upload_id}`);
    expect(await snap.json()).toEqual({
      uploadId: init.body.upload_id,
      fileUid: init.body.file_uid,
      filename: 'admin.csv',
      fileType: 'text/csv',
      numBytes: data.length,
      partSize: PART,
      numParts: 2,
      status: 'in_progress',
      uploadedParts: [0, 1],
      checkpointedParts: [0],
    });
    expect((await fetch(`${emu.adminUrl}/uploads/upl_nothing`)).status).toBe(404);
    const acc = (await (await fetch(`${emu.adminUrl}/accounting`)).json()) as Record<
      string,
      unknown
    >;
    expect(acc).toMatchObject({
      initiates: 1,
      putRequests: 2,
      putSuccesses: 2,
      bytesStored: data.length,
      checkpoints: 1,
      checkpointedParts: 1,
    });
    expect(Object.keys(acc.parts as object)).toHaveLength(1);
    // The same counters without the per-part map, for polling during a huge upload.
    const totals = (await (await fetch(`${emu.adminUrl}/accounting?parts=0`)).json()) as Record<
      string,
      unknown
    >;
    expect(totals).toEqual({ ...acc, parts: {} });

    emu.setFaults({ latencyMs: 1 });
    const reset = await fetch(`${emu.adminUrl}/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(emu.upload(init.body.upload_id)).toBeUndefined();
    expect(emu.accounting().putRequests).toBe(0);
    expect(emu.getFaults().latencyMs).toBe(1); // config survives a reset
    expect(
      (await call(emu, `/files/uploads/${init.body.upload_id}/complete`, { parts: tokens })).status,
    ).toBe(404);
    expect(await readdir(join(emu.dataDir, 'uploads'))).toEqual([]);
    expect((await putPart(init.body.parts[0]!, data)).status).toBe(404);
  });
});
