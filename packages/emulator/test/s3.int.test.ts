import { crc32cSync, crc32cToBase64 } from '@atai-upload/crc32c';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/index.js';
import {
  call,
  download,
  firstError,
  initiate,
  onBucket,
  putAll,
  startTemp,
  stopTemp,
  testBytes,
} from './helpers.js';

// What only a real bucket does (the RGW pass runs this against Ceph RGW; elsewhere it skips):
// its presigned UploadPart URLs, its CORS rule, its opaque 403s, the Content-Length the
// emulator signs into each URL, and complete's read-back CRC-32C.
const PART = 64 * 1024;
const ORIGIN = 'http://127.0.0.1:5173';
const checksumOf = (data: Uint8Array): string => crc32cToBase64(crc32cSync(data));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let emu: RunningEmulator;

beforeAll(async () => {
  if (onBucket) emu = await startTemp({ partSize: PART });
});

afterAll(async () => {
  await stopTemp(emu);
});

describe.skipIf(!onBucket)('s3 storage (a real bucket)', () => {
  it('hands out presigned UploadPart URLs (1-based) with the CORS rule the browser needs', async () => {
    expect(emu.storage).toBe('s3');
    const data = testBytes(2 * PART + 5, 1);
    const init = await initiate(emu, 's3-urls.csv', data.length);
    const urls = init.body.parts.map((p) => new URL(p.url));
    expect(urls.map((u) => u.searchParams.get('partNumber'))).toEqual(['1', '2', '3']);
    expect(urls[0]?.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(urls[0]?.searchParams.get('X-Amz-SignedHeaders')).toContain('content-length');
    const preflight = await fetch(init.body.parts[0]!.url, {
      method: 'OPTIONS',
      headers: {
        Origin: ORIGIN,
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
    const put = await fetch(init.body.parts[0]!.url, {
      method: 'PUT',
      body: data.subarray(0, PART),
      headers: { Origin: ORIGIN, 'Content-Type': 'text/csv' },
    });
    expect(put.status).toBe(200);
    expect(put.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(put.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('etag');
  });

  it('refuses a body of another length than the part (the signed Content-Length)', async () => {
    const data = testBytes(PART, 2);
    const init = await initiate(emu, 's3-length.csv', data.length);
    const short = await fetch(init.body.parts[0]!.url, {
      method: 'PUT',
      body: data.subarray(0, PART - 10),
    });
    expect(short.status).toBe(403);
    await short.text();
  });

  it('answers an expired URL with a 403 without CORS headers; a refreshed URL works', async () => {
    emu.setFaults({ urlTtlSeconds: 1 });
    try {
      const data = testBytes(PART, 3);
      const init = await initiate(emu, 's3-expiry.csv', data.length);
      await sleep(2100);
      const late = await fetch(init.body.parts[0]!.url, {
        method: 'PUT',
        body: data,
        headers: { Origin: ORIGIN },
      });
      expect(late.status).toBe(403);
      expect(late.headers.get('access-control-allow-origin')).toBeNull();
      await late.text();
      emu.setFaults({ urlTtlSeconds: 3600 });
      const fresh = await call<{ parts: typeof init.body.parts }>(
        emu,
        `/files/uploads/${init.body.upload_id}/parts/urls`,
        { part_numbers: [0] },
      );
      const tokens = await putAll(fresh.body.parts, data);
      const done = await call(emu, `/files/uploads/${init.body.upload_id}/complete`, {
        parts: tokens,
        integrity_checksum: checksumOf(data),
      });
      expect(done.status).toBe(200);
    } finally {
      emu.setFaults({ urlTtlSeconds: 3600 });
    }
  });

  it('checks tokens against the parts the bucket lists', async () => {
    const data = testBytes(3 * PART, 4);
    const init = await initiate(emu, 's3-tokens.csv', data.length);
    const tokens = await putAll(init.body.parts.slice(0, 2), data);
    const wrong = await call(emu, `/files/uploads/${init.body.upload_id}/parts/checkpoint`, {
      parts: [{ part_number: 1, part_token: '"00000000000000000000000000000000"' }],
    });
    expect(firstError(wrong).code).toBe('invalid_part_token');
    const never = await call(emu, `/files/uploads/${init.body.upload_id}/parts/checkpoint`, {
      parts: [{ part_number: 2, part_token: tokens[0]!.part_token }],
    });
    expect(firstError(never).code).toBe('part_not_uploaded');
    const ok = await call(emu, `/files/uploads/${init.body.upload_id}/parts/checkpoint`, {
      parts: tokens,
    });
    expect(ok.body).toEqual({ num_checkpointed: 2 });
    expect(emu.upload(init.body.upload_id)?.uploadedParts).toEqual([0, 1]);
  });

  it('a checksum mismatch marks the file Corrupt and deletes the object', async () => {
    const data = testBytes(2 * PART, 5);
    const init = await initiate(emu, 's3-corrupt.csv', data.length);
    const tokens = await putAll(init.body.parts, data);
    const other = data.slice();
    other[7] = (other[7] ?? 0) ^ 0x10;
    const done = await call(emu, `/files/uploads/${init.body.upload_id}/complete`, {
      parts: tokens,
      integrity_checksum: checksumOf(other),
    });
    expect(firstError(done).code).toBe('integrity_checksum_mismatch');
    const res = await download(emu, 's3-corrupt.csv');
    expect(res.status).toBe(410);
    await res.text();
  });

  it('abort releases the multipart upload in the bucket', async () => {
    const data = testBytes(2 * PART, 6);
    const init = await initiate(emu, 's3-abort.csv', data.length);
    await putAll(init.body.parts.slice(0, 1), data);
    const aborted = await call(emu, `/files/uploads/${init.body.upload_id}/abort`, {});
    expect(aborted.status).toBe(200);
    const late = await fetch(init.body.parts[1]!.url, {
      method: 'PUT',
      body: data.subarray(PART, 2 * PART),
    });
    expect(late.status).toBe(404);
    expect(await late.text()).toContain('NoSuchUpload');
  });
});
