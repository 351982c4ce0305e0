import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32cSync, crc32cToBase64 } from '@atai-upload/crc32c';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCliArgs, type RunningEmulator, storageFromEnv } from '../src/index.js';
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

// Discard storage: every part is read to the end and hashed (quoted-MD5 ETag, CRC-32C), nothing
// is written, and complete checks the combined CRC-32C against integrity_checksum. Lets one
// machine take a 250 GiB upload without 250 GiB of disk.
const PART = 64 * 1024;
const checksumOf = (data: Uint8Array): string => crc32cToBase64(crc32cSync(data));

/** Every file under `dir` with its size. */
async function filesUnder(dir: string): Promise<Array<{ path: string; size: number }>> {
  const out: Array<{ path: string; size: number }> = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.push({ path, size: (await stat(path)).size });
  }
  return out;
}

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startTemp({ partSize: PART, storage: { kind: 'discard' } });
});

afterAll(async () => {
  await stopTemp(emu);
});

describe('discard storage', () => {
  it('verifies a matching checksum, keeps no part bytes, and answers downloads with 410', async () => {
    const data = testBytes(7 * PART + 123, 3);
    const init = await initiate(emu, 'kept-nothing.csv', data.length);
    expect(init.status).toBe(200);
    expect(emu.storage).toBe('discard');
    const tokens = await putAll(init.body.parts, data);
    const done = await call(emu, `/files/uploads/${init.body.upload_id}/complete`, {
      parts: tokens,
      integrity_checksum: checksumOf(data),
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ file_status: 'Registered', num_bytes: data.length });

    const acc = emu.accounting();
    expect(acc.bytesStored).toBe(data.length);
    expect(acc.putSuccesses).toBe(8);
    expect(acc.completes).toBe(1);

    // Only small records: no part bytes, and far less on disk than one part.
    const files = await filesUnder(emu.dataDir);
    expect(files.filter((f) => f.path.endsWith('.bin') || f.path.endsWith('.part'))).toEqual([]);
    const total = files.reduce((n, f) => n + f.size, 0);
    expect(total).toBeLessThan(PART);

    const res = await download(emu, 'kept-nothing.csv');
    expect(res.status).toBe(410);
    const body = (await res.json()) as { errors: Array<{ code: string; message: string }> };
    expect(body.errors[0]?.code).toBe('file_not_kept');
    expect(body.errors[0]?.message).toMatch(/discard/);

    const meta = await call(emu, '/files/metadata/kept-nothing.csv');
    expect(meta.body).toMatchObject({ file_status: 'FILE_STATUS_REGISTERED', is_valid: true });
  });

  it('marks the file Corrupt when the checksum does not match', async () => {
    const data = testBytes(3 * PART, 9);
    const init = await initiate(emu, 'mismatch.csv', data.length);
    const tokens = await putAll(init.body.parts, data);
    const other = data.slice();
    other[5] = (other[5] ?? 0) ^ 1;
    const done = await call(emu, `/files/uploads/${init.body.upload_id}/complete`, {
      parts: tokens,
      integrity_checksum: checksumOf(other),
    });
    expect(done.status).toBe(400);
    expect(firstError(done).code).toBe('integrity_checksum_mismatch');
    expect(emu.upload(init.body.upload_id)?.status).toBe('corrupt');
    const meta = await call(emu, '/files/metadata/mismatch.csv');
    expect(meta.body).toMatchObject({ file_status: 'FILE_STATUS_CORRUPT', is_valid: false });
  });

  it('still checks tokens against the ETag computed as the part streamed', async () => {
    const data = testBytes(2 * PART, 11);
    const init = await initiate(emu, 'tokens.csv', data.length);
    const [first, second] = init.body.parts;
    const put = await putPart(first!, data);
    expect(put.status).toBe(200);
    expect(put.etag).toMatch(/^"[0-9a-f]{32}"$/);
    const wrong = await call(emu, `/files/uploads/${init.body.upload_id}/parts/checkpoint`, {
      parts: [{ part_number: 0, part_token: '"00000000000000000000000000000000"' }],
    });
    expect(firstError(wrong).code).toBe('invalid_part_token');
    const missing = await call(emu, `/files/uploads/${init.body.upload_id}/complete`, {
      parts: [{ part_number: 0, part_token: put.etag }],
    });
    expect(firstError(missing).code).toBe('missing_parts');
    // A short body is refused as in local storage: the length is checked, not only hashed.
    const short = await fetch(second!.url, { method: 'PUT', body: data.subarray(0, 10) });
    expect(short.status).toBe(400);
  });
});

describe('storage selection', () => {
  it('reads the backend from the environment and from flags, flags first', () => {
    expect(storageFromEnv({})).toEqual({ kind: 'local' });
    expect(storageFromEnv({ ATAI_EMULATOR_STORAGE: 'discard' })).toEqual({ kind: 'discard' });
    expect(
      storageFromEnv({
        ATAI_EMULATOR_STORAGE: 's3',
        ATAI_S3_BUCKET: 'b',
        ATAI_S3_ENDPOINT: 'http://127.0.0.1:7480',
        ATAI_S3_FORCE_PATH_STYLE: 'true',
      }),
    ).toEqual({ kind: 's3', bucket: 'b', endpoint: 'http://127.0.0.1:7480', forcePathStyle: true });
    expect(() => storageFromEnv({ ATAI_EMULATOR_STORAGE: 's3' })).toThrow(/ATAI_S3_BUCKET/);
    expect(() => storageFromEnv({ ATAI_EMULATOR_STORAGE: 'tape' })).toThrow(/local, discard, s3/);

    expect(parseCliArgs([]).options.storage).toBeUndefined();
    expect(parseCliArgs(['--storage', 'discard']).options.storage).toEqual({ kind: 'discard' });
    const env = { ATAI_EMULATOR_STORAGE: 's3', ATAI_S3_BUCKET: 'from-env' };
    expect(
      parseCliArgs(['--s3-bucket', 'from-flag', '--s3-path-style'], env).options.storage,
    ).toEqual({ kind: 's3', bucket: 'from-flag', forcePathStyle: true });
    expect(() => parseCliArgs(['--storage', 'local', '--s3-bucket', 'x'])).toThrow(/--storage s3/);
  });
});
