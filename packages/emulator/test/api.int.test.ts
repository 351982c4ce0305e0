import { createHash } from 'node:crypto';
import { crc32cSync, crc32cToBase64 } from '@atai-upload/crc32c';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.js';
import {
  call,
  download,
  errorCodes,
  firstError,
  type InitiateBody,
  initiate,
  onBucket,
  type PartEntry,
  putAll,
  putPart,
  startTemp,
  stopTemp,
  testBytes,
} from './helpers.js';

const PART = 1024;
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startTemp({ partSize: PART });
});
afterAll(() => stopTemp(emu));

const md5 = (data: Uint8Array): string => `"${createHash('md5').update(data).digest('hex')}"`;
const checksumOf = (data: Uint8Array): string => crc32cToBase64(crc32cSync(data));

async function uploadWhole(name: string, data: Uint8Array<ArrayBuffer>): Promise<InitiateBody> {
  const init = await initiate(emu, name, data.length);
  expect(init.status).toBe(200);
  const tokens = await putAll(init.body.parts, data);
  const done = await call(emu, `/files/uploads/${init.body.upload_id}/complete`, {
    parts: tokens,
    integrity_checksum: checksumOf(data),
  });
  expect(done.status).toBe(200);
  return init.body;
}

describe('happy path', () => {
  it('uploads a 1-byte file end to end', async () => {
    const data = new Uint8Array([0x42]);
    const init = await initiate(emu, 'one-byte.csv', 1);
    expect(init.status).toBe(200);
    expect(Object.keys(init.body).sort()).toEqual(
      [
        'file_name',
        'file_uid',
        'integrity_algorithm',
        'is_resume',
        'num_parts',
        'part_size',
        'parts',
        'total_bytes',
        'upload_id',
      ].sort(),
    );
    expect(init.body.upload_id).toMatch(/^upl_[a-z0-9]{26}$/);
    expect(init.body.file_uid).toMatch(/^fil_[a-z0-9]{26}$/);
    expect(init.body).toMatchObject({
      file_name: 'one-byte.csv',
      total_bytes: 1,
      num_parts: 1,
      part_size: PART,
      is_resume: false,
      integrity_algorithm: 'crc32c',
    });
    const [part] = init.body.parts;
    expect(part).toMatchObject({ part_number: 0, offset: 0, length: 1 });
    expect(new Date(part!.expires_at).toISOString()).toBe(part!.expires_at);
    // The bucket's presigned UploadPart URL, or our own signed path.
    const prefix = onBucket ? emu.storageUrl : `${emu.storageUrl}/parts/${init.body.upload_id}/0?`;
    expect(part!.url.startsWith(prefix)).toBe(true);

    const put = await putPart(part!, data);
    expect(put.status).toBe(200);
    expect(put.etag).toBe(md5(data));
    expect(put.text).toBe('');

    const done = await call(emu, `/files/uploads/${init.body.upload_id}/complete`, {
      parts: [{ part_number: 0, part_token: put.etag }],
      integrity_checksum: checksumOf(data),
    });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({
      file_uid: init.body.file_uid,
      file_name: 'one-byte.csv',
      num_bytes: 1,
      file_status: 'Registered',
      file_attributes: { metadata_status: 'not_extracted' },
    });
    const res = await download(emu, 'one-byte.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv');
    expect(res.headers.get('content-length')).toBe('1');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(data);
    expect(emu.upload(init.body.upload_id)?.status).toBe('completed');
  });

  it('uploads a multi-part file with an uneven last part, byte-identical', async () => {
    const data = testBytes(5 * PART + 300, 7);
    const init = await initiate(emu, 'uneven.csv', data.length);
    expect(init.body.num_parts).toBe(6);
    expect(init.body.parts.map((p) => [p.part_number, p.offset, p.length])).toEqual([
      [0, 0, PART],
      [1, PART, PART],
      [2, 2 * PART, PART],
      [3, 3 * PART, PART],
      [4, 4 * PART, PART],
      [5, 5 * PART, 300],
    ]);
    // Out of order on purpose: parts are independent.
    const tokens = [];
    for (const part of [...init.body.parts].reverse()) {
      const r = await putPart(part, data);
      expect(r.status).toBe(200);
      expect(r.etag).toBe(md5(data.subarray(part.offset, part.offset + part.length)));
      tokens.push({ part_number: part.part_number, part_token: r.etag });
    }
    const done = await call(emu, `/files/uploads/${init.body.upload_id}/complete`, {
      parts: tokens,
      integrity_checksum: checksumOf(data),
    });
    expect(done.status).toBe(200);
    const res = await download(emu, 'uneven.csv');
    expect(res.headers.get('content-length')).toBe(String(data.length));
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(data))).toBe(true);

    const meta = await call(emu, '/files/metadata/uneven.csv');
    expect(meta.status).toBe(200);
    // The documented long form, and nothing else.
    expect(meta.body).toEqual({
      file_id: 'uneven.csv',
      file_uid: init.body.file_uid,
      is_valid: true,
      file_type: 'text/csv',
      num_bytes: data.length,
      file_status: 'FILE_STATUS_REGISTERED',
      file_attributes: { metadata_status: 'not_extracted' },
      ingested: false,
      file_index: expect.any(Number),
      file_tags: [],
    });
    const list = await call<{ files: Array<{ file_id: string }> }>(emu, '/files/metadata');
    expect(list.body.files.map((f) => f.file_id)).toContain('uneven.csv');
  });

  it('handles a size that is an exact multiple of the part size, and odd file names', async () => {
    const name = 'weird name %2F?#&..csv';
    const data = testBytes(3 * PART, 9);
    const init = await uploadWhole(name, data);
    expect(init.parts.map((p) => p.length)).toEqual([PART, PART, PART]);
    const res = await download(emu, name);
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(data))).toBe(true);
    const meta = await call(emu, `/files/metadata/${encodeURIComponent(name)}`);
    expect(meta.body).toMatchObject({ file_id: name, file_status: 'FILE_STATUS_REGISTERED' });
  });

  // How fast is the bench's business (machines are shared and noisy): here, only what comes back.
  it('returns 32,000 part URLs for a 250 GiB file', async () => {
    const big = await startTemp();
    try {
      const init = await initiate(big, 'huge.parquet', 268_435_456_000, {
        file_type: 'application/x-parquet',
      });
      expect(init.status).toBe(200);
      expect(init.body.num_parts).toBe(32_000);
      expect(init.body.part_size).toBe(8_388_608);
      expect(init.body.parts).toHaveLength(32_000);
      expect(init.body.parts[31_999]).toMatchObject({
        part_number: 31_999,
        offset: 31_999 * 8_388_608,
        length: 8_388_608,
      });
    } finally {
      await stopTemp(big);
    }
  });
});

describe('authentication', () => {
  it('rejects missing and wrong API keys with 401 in the documented envelope', async () => {
    for (const key of [null, 'wrong-key']) {
      const r = await call(emu, '/files/uploads/initiate', { filename: 'x.csv' }, { key });
      expect(r.status).toBe(401);
      expect(Object.keys(r.body)).toEqual(['errors']);
      expect(r.body.errors).toEqual([
        {
          code: 'unauthorized',
          message: key === null ? 'Missing Authorization header' : 'Invalid API key',
          suggestion: expect.stringContaining('Authorization: Bearer'),
          error_uid: expect.stringMatching(
            /^err-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
          ),
        },
      ]);
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
    }
    const again = await call(emu, '/files/metadata', undefined, { key: null });
    const first = await call(emu, '/files/metadata', undefined, { key: null });
    // A fresh error_uid every time: it identifies one occurrence, for support.
    expect(firstError(again).error_uid).not.toBe(firstError(first).error_uid);
    expect((await call(emu, '/files/metadata', undefined, { key: null })).status).toBe(401);
    expect((await call(emu, '/files/download/x', undefined, { key: 'nope' })).status).toBe(401);
    const raw = await fetch(`${emu.apiUrl}/files/metadata`, {
      headers: { Authorization: emu.apiKey },
    });
    expect(raw.status).toBe(401);
  });
});

describe('initiate validation', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    [
      'an undocumented type',
      { filename: 'a', file_type: 'text/html', num_bytes: 10 },
      'invalid_file_type',
    ],
    [
      'application/octet-stream (refused by the reference)',
      { filename: 'a', file_type: 'application/octet-stream', num_bytes: 10 },
      'invalid_file_type',
    ],
    [
      'application/pdf',
      { filename: 'a', file_type: 'application/pdf', num_bytes: 10 },
      'invalid_file_type',
    ],
    [
      'application/zip',
      { filename: 'a', file_type: 'application/zip', num_bytes: 10 },
      'invalid_file_type',
    ],
    ['num_bytes 0', { filename: 'a', file_type: 'text/csv', num_bytes: 0 }, 'invalid_file_size'],
    [
      'num_bytes > 250 GiB',
      { filename: 'a', file_type: 'text/csv', num_bytes: 268_435_456_001 },
      'invalid_file_size',
    ],
    [
      'fractional num_bytes',
      { filename: 'a', file_type: 'text/csv', num_bytes: 1.5 },
      'invalid_file_size',
    ],
    [
      'string num_bytes',
      { filename: 'a', file_type: 'text/csv', num_bytes: '10' },
      'invalid_file_size',
    ],
    ['missing filename', { file_type: 'text/csv', num_bytes: 10 }, 'invalid_filename'],
    ['empty filename', { filename: '', file_type: 'text/csv', num_bytes: 10 }, 'invalid_filename'],
    [
      'a filename with /',
      { filename: 'dir/a.csv', file_type: 'text/csv', num_bytes: 10 },
      'invalid_filename',
    ],
    [
      'a filename with \\',
      { filename: 'dir\\a.csv', file_type: 'text/csv', num_bytes: 10 },
      'invalid_filename',
    ],
    ['filename ..', { filename: '..', file_type: 'text/csv', num_bytes: 10 }, 'invalid_filename'],
    ['missing file_type', { filename: 'a', num_bytes: 10 }, 'invalid_file_type'],
    [
      'bad resume flag',
      { filename: 'a', file_type: 'text/csv', num_bytes: 10, resume_if_started: 'yes' },
      'invalid_request',
    ],
  ];
  for (const [name, body, code] of cases) {
    it(`400 for ${name}`, async () => {
      const r = await call(emu, '/files/uploads/initiate', body);
      expect(r.status).toBe(400);
      expect(errorCodes(r)).toEqual([code]);
      expect(firstError(r).message.length).toBeGreaterThan(10);
      expect(firstError(r).error_uid).toMatch(/^err-[0-9a-f-]{36}$/);
    });
  }

  it('names the supported types in the suggestion of an invalid_file_type', async () => {
    const r = await initiate(emu, 'a.bin', 10, { file_type: 'application/octet-stream' });
    expect(firstError(r)).toMatchObject({
      code: 'invalid_file_type',
      message: 'Unsupported file type: application/octet-stream',
      suggestion:
        'Supported types: image/jpeg, image/png, video/mp4, text/csv, text/plain, application/json, application/x-ndjson, application/x-parquet',
    });
  });

  it('reports every invalid field in one answer, each error with its own error_uid', async () => {
    const before = emu.accounting().initiates;
    const r = await call(emu, '/files/uploads/initiate', {
      filename: 'a/b.csv',
      file_type: 'application/pdf',
      num_bytes: 0,
    });
    expect(r.status).toBe(400);
    expect(errorCodes(r)).toEqual(['invalid_filename', 'invalid_file_type', 'invalid_file_size']);
    const uids = new Set(r.body.errors?.map((e) => e.error_uid));
    expect(uids.size).toBe(3);
    expect(emu.accounting().initiates).toBe(before);
  });

  it('400 for malformed JSON and non-object bodies', async () => {
    const bad = await call(emu, '/files/uploads/initiate', undefined, { raw: '{"filename":' });
    expect(bad.status).toBe(400);
    expect(errorCodes(bad)).toEqual(['invalid_json']);
    const arr = await call(emu, '/files/uploads/initiate', [1, 2]);
    expect(arr.status).toBe(400);
    const empty = await call(emu, '/files/uploads/initiate', undefined, {
      method: 'POST',
      raw: '',
    });
    expect(empty.status).toBe(400);
  });

  it('accepts every documented MIME type and the 250 GiB boundary', async () => {
    for (const type of [
      'image/jpeg',
      'image/png',
      'video/mp4',
      'text/csv',
      'text/plain',
      'application/json',
      'application/x-ndjson',
      'application/x-parquet',
    ]) {
      const r = await initiate(emu, `t.${type.replace('/', '_')}`, 10, { file_type: type });
      expect(r.status, type).toBe(200);
    }
    const edge = await initiate(emu, 'edge.csv', 268_435_456_000);
    expect(edge.status).toBe(200);
  });

  it('accepts the configured types instead when fileTypes is given', async () => {
    const custom = await startTemp({ partSize: PART, fileTypes: ['application/pdf'] });
    try {
      expect((await initiate(custom, 'a.pdf', 10, { file_type: 'application/pdf' })).status).toBe(
        200,
      );
      const csv = await initiate(custom, 'a.csv', 10);
      expect(errorCodes(csv)).toEqual(['invalid_file_type']);
      expect(firstError(csv).suggestion).toBe('Supported types: application/pdf');
    } finally {
      await stopTemp(custom);
    }
    // Refused before anything is created on disk.
    await expect(
      startEmulator({ fileTypes: ['not a type'], dataDir: '/nonexistent/atai-emu' }),
    ).rejects.toThrow(RangeError);
  });
});

describe('resume', () => {
  it('reuses an in-progress upload and returns only non-checkpointed parts', async () => {
    const data = testBytes(6 * PART, 11);
    const first = await initiate(emu, 'resume.csv', data.length, { resume_if_started: true });
    expect(first.body.is_resume).toBe(false);
    const id = first.body.upload_id;
    const tokens = await putAll(first.body.parts.slice(0, 4), data);
    const ck = await call(emu, `/files/uploads/${id}/parts/checkpoint`, {
      parts: tokens.slice(0, 2),
    });
    expect(ck.body).toEqual({ num_checkpointed: 2 });

    const again = await initiate(emu, 'resume.csv', data.length, { resume_if_started: true });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      upload_id: id,
      file_uid: first.body.file_uid,
      is_resume: true,
      num_parts: 6,
      total_bytes: data.length,
    });
    // Parts 2 and 3 were uploaded but never checkpointed: they come back.
    expect(again.body.parts.map((p) => p.part_number)).toEqual([2, 3, 4, 5]);
    const rest = await putAll(again.body.parts, data);
    const done = await call(emu, `/files/uploads/${id}/complete`, {
      parts: rest,
      integrity_checksum: checksumOf(data),
    });
    expect(done.status).toBe(200);
    const res = await download(emu, 'resume.csv');
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(data))).toBe(true);
  });

  it('409 when a different file with the same name is in progress', async () => {
    const first = await initiate(emu, 'clash.csv', 5000, { resume_if_started: true });
    expect(first.status).toBe(200);
    const size = await initiate(emu, 'clash.csv', 5001, { resume_if_started: true });
    expect(size.status).toBe(409);
    expect(firstError(size).code).toBe('upload_conflict');
    expect(firstError(size).message).toMatch(/different file with the name "clash\.csv"/);
    const type = await initiate(emu, 'clash.csv', 5000, {
      resume_if_started: true,
      file_type: 'video/mp4',
    });
    expect(type.status).toBe(409);
    // Without the flag: always a new upload.
    const fresh = await initiate(emu, 'clash.csv', 5001);
    expect(fresh.status).toBe(200);
    expect(fresh.body.upload_id).not.toBe(first.body.upload_id);
    expect(fresh.body.is_resume).toBe(false);
    // The newest in-progress upload for the name is the one resumed.
    const newest = await initiate(emu, 'clash.csv', 5001, { resume_if_started: true });
    expect(newest.body.upload_id).toBe(fresh.body.upload_id);
    expect(newest.body.parts).toHaveLength(5);
  });

  it('starts a new upload when nothing is in progress for the name', async () => {
    const r = await initiate(emu, 'never-seen.csv', 10, { resume_if_started: true });
    expect(r.body.is_resume).toBe(false);
    expect(r.body.parts).toHaveLength(1);
  });
});

describe('checkpoint', () => {
  it('validates tokens and counts only newly checkpointed parts', async () => {
    const data = testBytes(4 * PART, 13);
    const init = await initiate(emu, 'ck.csv', data.length);
    const id = init.body.upload_id;
    const tokens = await putAll(init.body.parts.slice(0, 3), data);
    const url = `/files/uploads/${id}/parts/checkpoint`;

    const wrong = await call(emu, url, { parts: [{ part_number: 1, part_token: '"deadbeef"' }] });
    expect(wrong.status).toBe(400);
    expect(firstError(wrong).code).toBe('invalid_part_token');
    expect(firstError(wrong).message).toContain('part 1');
    const unquoted = tokens[0]!.part_token.replaceAll('"', '');
    expect(
      (await call(emu, url, { parts: [{ part_number: 0, part_token: unquoted }] })).status,
    ).toBe(400);
    const notUploaded = await call(emu, url, { parts: [{ part_number: 3, part_token: '"x"' }] });
    expect(notUploaded.status).toBe(400);
    expect(firstError(notUploaded).code).toBe('part_not_uploaded');
    expect(firstError(notUploaded).message).toContain('Part 3');
    const range = await call(emu, url, { parts: [{ part_number: 4, part_token: '"x"' }] });
    expect(range.status).toBe(400);
    expect(firstError(range).code).toBe('invalid_part_number');
    expect((await call(emu, url, { parts: 'nope' })).status).toBe(400);
    // A rejected request applies nothing, even its valid entries.
    const mixed = await call(emu, url, {
      parts: [tokens[0], { part_number: 1, part_token: '"bad"' }],
    });
    expect(mixed.status).toBe(400);
    expect(emu.upload(id)?.checkpointedParts).toEqual([]);

    expect((await call(emu, url, { parts: tokens.slice(0, 2) })).body).toEqual({
      num_checkpointed: 2,
    });
    expect((await call(emu, url, { parts: tokens.slice(0, 2) })).body).toEqual({
      num_checkpointed: 0,
    });
    expect((await call(emu, url, { parts: [tokens[2], tokens[2]] })).body).toEqual({
      num_checkpointed: 1,
    });
    expect(emu.upload(id)?.checkpointedParts).toEqual([0, 1, 2]);
    expect(emu.upload(id)?.uploadedParts).toEqual([0, 1, 2]);

    const unknown = await call(
      emu,
      '/files/uploads/upl_00000000000000000000000000/parts/checkpoint',
      {
        parts: [],
      },
    );
    expect(unknown.status).toBe(404);
    expect(firstError(unknown).code).toBe('upload_not_found');
  });

  it('answers a checkpoint on a completed upload with 409', async () => {
    const data = testBytes(2 * PART, 14);
    const init = await uploadWhole('ck-late.csv', data);
    const late = await call(emu, `/files/uploads/${init.upload_id}/parts/checkpoint`, {
      parts: [{ part_number: 0, part_token: '"x"' }],
    });
    expect(late.status).toBe(409);
    expect(firstError(late).code).toBe('upload_completed');
  });
});

describe('refresh URLs', () => {
  it('returns entries in request order, sharing URLs for duplicates and fresh ones', async () => {
    const init = await initiate(emu, 'urls.csv', 4 * PART + 5);
    const url = `/files/uploads/${init.body.upload_id}/parts/urls`;
    const r = await call<{ parts: PartEntry[] }>(emu, url, { part_numbers: [4, 0, 4, 2] });
    expect(r.status).toBe(200);
    expect(r.body.parts.map((p) => p.part_number)).toEqual([4, 0, 4, 2]);
    expect(r.body.parts[0]!.url).toBe(r.body.parts[2]!.url);
    expect(r.body.parts[0]).toMatchObject({ offset: 4 * PART, length: 5 });
    // Issued at initiate and still fresh: returned again.
    expect(r.body.parts[1]!.url).toBe(init.body.parts[0]!.url);
    const put = await putPart(r.body.parts[0]!, testBytes(4 * PART + 5));
    expect(put.status).toBe(200);

    for (const bad of [[], [5], [-1], [1.5], ['1'], 'x']) {
      const b = await call(emu, url, { part_numbers: bad });
      expect(b.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await call(emu, url, {})).status).toBe(400);
  });

  it('issues a new URL once less than half of the old lifetime is left', async () => {
    emu.setFaults({ urlTtlSeconds: 2 });
    try {
      const init = await initiate(emu, 'ttl.csv', 10);
      const url = `/files/uploads/${init.body.upload_id}/parts/urls`;
      const soon = await call<{ parts: PartEntry[] }>(emu, url, { part_numbers: [0] });
      expect(soon.body.parts[0]!.url).toBe(init.body.parts[0]!.url);
      await new Promise((r) => setTimeout(r, 1100));
      const later = await call<{ parts: PartEntry[] }>(emu, url, { part_numbers: [0] });
      expect(later.body.parts[0]!.url).not.toBe(init.body.parts[0]!.url);
    } finally {
      emu.setFaults({ urlTtlSeconds: 3600 });
    }
  });
});

describe('complete', () => {
  it('400 listing missing parts; OK with already-checkpointed tokens resent', async () => {
    const data = testBytes(5 * PART, 17);
    const init = await initiate(emu, 'complete.csv', data.length);
    const id = init.body.upload_id;
    const tokens = await putAll(init.body.parts.slice(0, 3), data);
    await call(emu, `/files/uploads/${id}/parts/checkpoint`, { parts: tokens.slice(0, 2) });

    const missing = await call(emu, `/files/uploads/${id}/complete`, { parts: [tokens[2]] });
    expect(missing.status).toBe(400);
    expect(firstError(missing).code).toBe('missing_parts');
    expect(firstError(missing).message).toMatch(/3, 4/);
    expect((await call(emu, `/files/uploads/${id}/complete`, {})).status).toBe(400);
    const badToken = await call(emu, `/files/uploads/${id}/complete`, {
      parts: [{ part_number: 2, part_token: '"0000"' }],
    });
    expect(badToken.status).toBe(400);
    expect(firstError(badToken).code).toBe('invalid_part_token');

    const rest = await putAll(init.body.parts.slice(3), data);
    for (const checksum of ['abc', 'AAAAAAAAAAA=', 42]) {
      const bad = await call(emu, `/files/uploads/${id}/complete`, {
        parts: [...tokens, ...rest],
        integrity_checksum: checksum,
      });
      expect(bad.status, String(checksum)).toBe(400);
      expect(firstError(bad).code).toBe('invalid_integrity_checksum');
    }
    // Like the python client: tokens of checkpointed parts are sent again.
    const done = await call(emu, `/files/uploads/${id}/complete`, {
      parts: [...tokens, ...rest],
      integrity_checksum: checksumOf(data),
    });
    expect(done.status).toBe(200);
    const twice = await call(emu, `/files/uploads/${id}/complete`, { parts: [] });
    expect(twice.status).toBe(409);
    expect(firstError(twice).code).toBe('upload_completed');
  });

  it('completes with an empty parts list when everything is checkpointed', async () => {
    const data = testBytes(2 * PART + 1, 19);
    const init = await initiate(emu, 'all-ck.csv', data.length);
    const tokens = await putAll(init.body.parts, data);
    const id = init.body.upload_id;
    await call(emu, `/files/uploads/${id}/parts/checkpoint`, { parts: tokens });
    const done = await call(emu, `/files/uploads/${id}/complete`, { parts: [] });
    expect(done.status).toBe(200);
  });

  it('400 integrity_checksum_mismatch on a checksum mismatch, and the file is marked Corrupt', async () => {
    const data = testBytes(2 * PART, 23);
    const init = await initiate(emu, 'mismatch.csv', data.length);
    const tokens = await putAll(init.body.parts, data);
    const other = testBytes(2 * PART, 24);
    const r = await call(emu, `/files/uploads/${init.body.upload_id}/complete`, {
      parts: tokens,
      integrity_checksum: checksumOf(other),
    });
    // The reference names no status for this: 400 (a documented one), never 422.
    expect(r.status).toBe(400);
    expect(firstError(r)).toMatchObject({
      code: 'integrity_checksum_mismatch',
      message: expect.stringMatching(/does not match the CRC-32C.*marked Corrupt/),
      suggestion: expect.stringContaining('new upload'),
    });
    const meta = await call(emu, '/files/metadata/mismatch.csv');
    expect(meta.body).toMatchObject({ file_status: 'FILE_STATUS_CORRUPT', is_valid: false });
    expect(emu.upload(init.body.upload_id)?.status).toBe('corrupt');
    const abort = await call(emu, `/files/uploads/${init.body.upload_id}/abort`, {});
    expect(abort.status).toBe(409);
    expect(firstError(abort).code).toBe('upload_completed');
  });

  it('rejects a checksum when integrity is none', async () => {
    const plain = await startTemp({ partSize: PART, integrity: 'none' });
    try {
      const init = await initiate(plain, 'none.csv', 10);
      expect(init.body.integrity_algorithm).toBe('none');
      const data = testBytes(10);
      const tokens = await putAll(init.body.parts, data);
      const r = await call(plain, `/files/uploads/${init.body.upload_id}/complete`, {
        parts: tokens,
        integrity_checksum: checksumOf(data),
      });
      expect(r.status).toBe(400);
      expect(firstError(r).code).toBe('integrity_not_supported');
      const ok = await call(plain, `/files/uploads/${init.body.upload_id}/complete`, {
        parts: tokens,
      });
      expect(ok.status).toBe(200);
    } finally {
      await stopTemp(plain);
    }
  });
});

describe('abort', () => {
  it('aborts, frees the parts, then treats the upload as unknown; refuses completed uploads', async () => {
    const data = testBytes(2 * PART, 29);
    const init = await initiate(emu, 'abort.csv', data.length);
    const id = init.body.upload_id;
    const tokens = await putAll(init.body.parts, data);
    await call(emu, `/files/uploads/${id}/parts/checkpoint`, { parts: tokens });
    const abortsBefore = emu.accounting().aborts;

    const res = await fetch(`${emu.apiUrl}/files/uploads/${id}/abort`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emu.apiKey}` },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(emu.upload(id)).toMatchObject({
      status: 'aborted',
      uploadedParts: [],
      checkpointedParts: [],
    });

    const put = await putPart(init.body.parts[0]!, data);
    expect(put.status).toBe(404);
    expect(put.text).toContain('NoSuchUpload');
    // Released: every route answers as for an id that never existed, a second abort included.
    const unknown = await call(emu, '/files/uploads/upl_zzzzzzzzzzzzzzzzzzzzzzzzzz/abort', {});
    expect(unknown.status).toBe(404);
    for (const [route, body] of [
      ['abort', {}],
      ['complete', { parts: tokens }],
      ['parts/urls', { part_numbers: [0] }],
      ['parts/checkpoint', { parts: tokens }],
    ] as const) {
      const r = await call(emu, `/files/uploads/${id}/${route}`, body);
      expect(r.status, route).toBe(404);
      expect(firstError(r).code, route).toBe('upload_not_found');
      expect(firstError(r).message).toBe(`Upload ${id} was not found`);
      expect(firstError(r).suggestion).toBe(firstError(unknown).suggestion);
    }
    expect(emu.accounting().aborts).toBe(abortsBefore + 1); // the second abort released nothing
    // An aborted upload is not resumed.
    const again = await initiate(emu, 'abort.csv', data.length, { resume_if_started: true });
    expect(again.body.is_resume).toBe(false);

    const done = await uploadWhole('abort-done.csv', data);
    const late = await call(emu, `/files/uploads/${done.upload_id}/abort`, {});
    expect(late.status).toBe(409);
    expect(firstError(late).code).toBe('upload_completed');
    expect((await call(emu, '/files/uploads/../../etc/abort', {})).status).toBe(404);
  });
});

describe('files', () => {
  it('404 for unknown files and routes', async () => {
    const meta = await call(emu, '/files/metadata/nope.csv');
    expect(meta.status).toBe(404);
    expect(firstError(meta).code).toBe('file_not_found');
    expect((await download(emu, 'nope.csv')).status).toBe(404);
    expect((await call(emu, '/files/whatever')).status).toBe(404);
  });

  it('serves the newest file with a name', async () => {
    await uploadWhole('dup.csv', testBytes(100, 1));
    const second = testBytes(200, 2);
    const init = await uploadWhole('dup.csv', second);
    const meta = await call(emu, '/files/metadata/dup.csv');
    expect(meta.body.file_uid).toBe(init.file_uid);
    const res = await download(emu, 'dup.csv');
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(second))).toBe(true);
  });
});
