import { mkdtempSync, openAsBlob, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32cSync, crc32cToBase64 } from '@atai-upload/crc32c';
import { type RunningEmulator, startEmulator } from '@atai-upload/emulator';
import { makeTempFile } from '@atai-upload/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFilesApiClient,
  createPartUploader,
  type FilesApiClient,
  FilesApiError,
  type InitiateUploadResponse,
  isCorruptFileStatus,
  type PartToken,
} from '../src/index.js';

const PART = 64 * 1024;
let emu: RunningEmulator;
let api: FilesApiClient;
const put = createPartUploader();
let dataDir: string;

/** (Re)starts the emulator on the same data directory. */
async function boot() {
  emu = await startEmulator({
    apiPort: 0,
    storagePort: 0,
    dataDir,
    partSize: PART,
    apiKey: 'int-key',
  });
  api = createFilesApiClient({ baseUrl: emu.apiUrl, apiKey: emu.apiKey });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'atai-client-int-'));
  await boot();
});
afterAll(async () => {
  await emu?.close();
});

async function caught(p: Promise<unknown>): Promise<FilesApiError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(FilesApiError);
  return e as FilesApiError;
}

async function download(name: string): Promise<Buffer> {
  const res = await fetch(`${emu.apiUrl}/files/download/${encodeURIComponent(name)}`, {
    headers: { Authorization: `Bearer ${emu.apiKey}` },
  });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/** PUTs the given parts of `file`, returning their tokens. */
async function putParts(
  file: Blob,
  res: Pick<InitiateUploadResponse, 'parts'>,
): Promise<PartToken[]> {
  const tokens: PartToken[] = [];
  for (const p of res.parts) {
    const { etag } = await put.putPart({
      url: p.url,
      body: file.slice(p.offset, p.offset + p.length),
    });
    tokens.push({ part_number: p.part_number, part_token: etag });
  }
  return tokens;
}

async function uploadWhole(size: number, name: string) {
  const path = await makeTempFile(size, name);
  const file = await openAsBlob(path);
  const init = await api.initiateUpload({
    filename: name,
    file_type: 'application/x-parquet',
    num_bytes: size,
  });
  expect(init.parts).toHaveLength(Math.ceil(size / PART));
  expect(init.integrity_algorithm).toBe('crc32c');
  const tokens = await putParts(file, init);
  for (const t of tokens) expect(t.part_token).toMatch(/^"[0-9a-f]{32}"$/);
  const checksum = crc32cToBase64(crc32cSync(readFileSync(path)));
  const done = await api.completeUpload(init.upload_id, {
    parts: tokens,
    integrity_checksum: checksum,
  });
  expect(done).toMatchObject({ file_name: name, num_bytes: size, file_status: 'Registered' });
  expect((await download(name)).equals(readFileSync(path))).toBe(true);
  const meta = await api.getFileMetadata(name);
  expect(meta).toMatchObject({
    file_id: name,
    file_uid: done.file_uid,
    is_valid: true,
    file_type: 'application/x-parquet',
    num_bytes: size,
    file_status: 'FILE_STATUS_REGISTERED',
  });
  return init;
}

describe('Files API client against the emulator', () => {
  it('uploads a 1-byte file byte-identically', async () => {
    const init = await uploadWhole(1, 'one-byte.parquet');
    expect(init.num_parts).toBe(1);
    expect(init.parts[0]).toMatchObject({ part_number: 0, offset: 0, length: 1 });
  });

  it('uploads a multi-part file whose size is a multiple of the part size', async () => {
    const init = await uploadWhole(4 * PART, 'even.parquet');
    expect(init.parts.map((p) => p.length)).toEqual([PART, PART, PART, PART]);
  });

  it('uploads a file with an uneven last part', async () => {
    const init = await uploadWhole(3 * PART + 123, 'uneven.parquet');
    expect(init.parts.at(-1)).toMatchObject({ part_number: 3, offset: 3 * PART, length: 123 });
  });

  it('checkpoints, refreshes URLs and completes with only the remaining tokens', async () => {
    const file = new Blob([new Uint8Array(3 * PART).fill(7)]);
    const init = await api.initiateUpload({
      filename: 'cp.bin',
      file_type: 'text/plain',
      num_bytes: file.size,
    });
    const tokens = await putParts(file, init);
    expect(await api.checkpointParts(init.upload_id, tokens.slice(0, 2))).toEqual({
      num_checkpointed: 2,
    });
    expect(await api.checkpointParts(init.upload_id, tokens.slice(0, 1))).toEqual({
      num_checkpointed: 0,
    });
    const fresh = await api.refreshPartUrls(init.upload_id, [2, 2, 0]);
    expect(fresh.parts.map((p) => p.part_number)).toEqual([2, 2, 0]);
    const done = await api.completeUpload(init.upload_id, { parts: tokens.slice(2) });
    expect(done.file_status).toBe('Registered');
  });

  it('401: a wrong API key is refused with a typed, non-retryable error', async () => {
    const bad = createFilesApiClient({ baseUrl: emu.apiUrl, apiKey: 'wrong' });
    const e = await caught(
      bad.initiateUpload({ filename: 'x.csv', file_type: 'text/csv', num_bytes: 1 }),
    );
    expect(e).toMatchObject({
      code: 'unauthorized',
      status: 401,
      retryable: false,
      route: 'initiate',
    });
    const none = createFilesApiClient({ baseUrl: emu.apiUrl });
    expect(await caught(none.abortUpload('upl_x'))).toMatchObject({ status: 401 });
  });

  it('token provider: a fresh bearer per request works', async () => {
    let calls = 0;
    const viaProvider = createFilesApiClient({
      baseUrl: emu.apiUrl,
      getAccessToken: async () => {
        calls++;
        return emu.apiKey;
      },
    });
    const init = await viaProvider.initiateUpload({
      filename: 'tp.csv',
      file_type: 'text/csv',
      num_bytes: 5,
    });
    await viaProvider.abortUpload(init.upload_id);
    expect(calls).toBe(2);
  });

  it('403: an expired presigned URL is url_expired', async () => {
    emu.setFaults({ urlTtlSeconds: 1 });
    try {
      const init = await api.initiateUpload({
        filename: 'expired.bin',
        file_type: 'text/plain',
        num_bytes: 10,
      });
      await new Promise((r) => setTimeout(r, 2100));
      const e = await caught(
        put.putPart({ url: init.parts[0]!.url, body: new Blob([new Uint8Array(10)]) }),
      );
      expect(e).toMatchObject({ code: 'url_expired', status: 403, route: 'partPut' });
      // the refresh route heals it
      const fresh = await api.refreshPartUrls(init.upload_id, [0]);
      emu.setFaults({ urlTtlSeconds: 3600 });
      const ok = await put.putPart({
        url: fresh.parts[0]!.url,
        body: new Blob([new Uint8Array(10)]),
      });
      expect(ok.etag).toMatch(/^"/);
    } finally {
      emu.setFaults({ urlTtlSeconds: 3600 });
    }
  });

  it('403: a tampered signature is refused too', async () => {
    const init = await api.initiateUpload({
      filename: 'tamper.bin',
      file_type: 'text/plain',
      num_bytes: 10,
    });
    // `signature=` on the emulator's own storage, `X-Amz-Signature=` on a bucket (RGW pass).
    const url = init.parts[0]!.url.replace(
      /signature=([0-9a-f])/i,
      (_m, c: string) => `signature=${c === '0' ? '1' : '0'}`,
    );
    const e = await caught(put.putPart({ url, body: new Blob([new Uint8Array(10)]) }));
    expect(e.code).toBe('url_expired');
  });

  it('400: a body whose length differs from the part length', async () => {
    const init = await api.initiateUpload({
      filename: 'len.bin',
      file_type: 'text/plain',
      num_bytes: 10,
    });
    const e = await caught(
      put.putPart({ url: init.parts[0]!.url, body: new Blob([new Uint8Array(9)]) }),
    );
    if (emu.storage === 's3') {
      // A bucket's URL signs Content-Length: another length fails the signature (403).
      expect(e).toMatchObject({ status: 403 });
    } else {
      expect(e).toMatchObject({ code: 'bad_request', status: 400, retryable: false });
    }
  });

  it('400: bad initiate input', async () => {
    for (const [body, serverCode] of [
      [
        { filename: 'a.exe', file_type: 'application/x-msdownload', num_bytes: 1 },
        'invalid_file_type',
      ],
      [
        { filename: 'a.bin', file_type: 'application/octet-stream', num_bytes: 1 },
        'invalid_file_type',
      ],
      [{ filename: 'a.csv', file_type: 'text/csv', num_bytes: 0 }, 'invalid_file_size'],
      [
        { filename: 'a.csv', file_type: 'text/csv', num_bytes: 250 * 1024 ** 3 + 1 },
        'invalid_file_size',
      ],
      [{ filename: 'dir/a.csv', file_type: 'text/csv', num_bytes: 1 }, 'invalid_filename'],
      [{ filename: 'dir\\a.csv', file_type: 'text/csv', num_bytes: 1 }, 'invalid_filename'],
    ] as const) {
      expect(await caught(api.initiateUpload(body))).toMatchObject({
        code: 'bad_request',
        status: 400,
        serverCode,
        retryable: false,
      });
    }
  });

  it("400: the server's own words reach the caller: every error, suggestion and error_uid", async () => {
    const e = await caught(
      api.initiateUpload({ filename: 'x/y.bin', file_type: 'application/pdf', num_bytes: 0 }),
    );
    expect(e.errors.map((x) => x.code)).toEqual([
      'invalid_filename',
      'invalid_file_type',
      'invalid_file_size',
    ]);
    for (const x of e.errors) expect(x.errorUid).toMatch(/^err-[0-9a-f-]{36}$/);
    expect(e.errors[1]).toMatchObject({
      message: 'Unsupported file type: application/pdf',
      suggestion: expect.stringMatching(/^Supported types: .*application\/x-parquet/),
    });
    expect(e.suggestion).toBe(e.errors[0]!.suggestion);
    expect(e.errorUid).toBe(e.errors[0]!.errorUid);
    expect(e.rawBody).toBeUndefined();
    expect(e.message).toContain('Unsupported file type: application/pdf');
    expect(e.message).toContain(`(error id ${e.errorUid})`);
  });

  it('409: resume of a name in progress with a different size', async () => {
    const init = await api.initiateUpload({
      filename: 'clash.csv',
      file_type: 'text/csv',
      num_bytes: 100,
    });
    const same = await api.initiateUpload({
      filename: 'clash.csv',
      file_type: 'text/csv',
      num_bytes: 100,
      resume_if_started: true,
    });
    expect(same).toMatchObject({ upload_id: init.upload_id, is_resume: true });
    const e = await caught(
      api.initiateUpload({
        filename: 'clash.csv',
        file_type: 'text/csv',
        num_bytes: 101,
        resume_if_started: true,
      }),
    );
    expect(e).toMatchObject({ code: 'upload_conflict', status: 409, retryable: false });
    expect(e.message).toMatch(/different file with this name/);
  });

  it('409: abort after complete', async () => {
    const init = await api.initiateUpload({
      filename: 'done.txt',
      file_type: 'text/plain',
      num_bytes: 3,
    });
    const tokens = await putParts(new Blob(['abc']), init);
    await api.completeUpload(init.upload_id, { parts: tokens });
    const e = await caught(api.abortUpload(init.upload_id));
    expect(e).toMatchObject({ code: 'upload_completed', status: 409, route: 'abort' });
  });

  it('abort releases an in-progress upload; its URLs stop working and it is then unknown', async () => {
    const init = await api.initiateUpload({
      filename: 'gone.txt',
      file_type: 'text/plain',
      num_bytes: 3,
    });
    await api.abortUpload(init.upload_id);
    expect(emu.upload(init.upload_id)?.status).toBe('aborted');
    const e = await caught(put.putPart({ url: init.parts[0]!.url, body: new Blob(['abc']) }));
    expect(e).toMatchObject({ status: 404, serverCode: 'NoSuchUpload' });
    for (const call of [
      () => api.abortUpload(init.upload_id),
      () => api.refreshPartUrls(init.upload_id, [0]),
      () => api.completeUpload(init.upload_id, { parts: [] }),
    ]) {
      expect(await caught(call())).toMatchObject({
        code: 'not_found',
        status: 404,
        serverCode: 'upload_not_found',
        retryable: false,
      });
    }
  });

  it('checksum mismatch: the file is marked Corrupt and the error says so', async () => {
    const init = await api.initiateUpload({
      filename: 'corrupt.bin',
      file_type: 'text/plain',
      num_bytes: 4,
    });
    const tokens = await putParts(new Blob(['data']), init);
    const wrong = crc32cToBase64(crc32cSync(new TextEncoder().encode('DATA')));
    const e = await caught(
      api.completeUpload(init.upload_id, { parts: tokens, integrity_checksum: wrong }),
    );
    expect(e).toMatchObject({
      code: 'integrity_mismatch',
      route: 'complete',
      retryable: false,
      status: 400,
      serverCode: 'integrity_checksum_mismatch',
      errorUid: expect.stringMatching(/^err-/),
      suggestion: expect.stringContaining('new upload'),
    });
    expect(e.message).toMatch(/Corrupt/);
    expect(e.message).toContain(`integrity_checksum ${wrong} does not match`);
    const meta = await api.getFileMetadata('corrupt.bin');
    expect(meta).toMatchObject({ file_status: 'FILE_STATUS_CORRUPT', is_valid: false });
    expect(isCorruptFileStatus(meta.file_status)).toBe(true);
  });

  it('the API key never reaches storage', async () => {
    expect(emu.accounting().storageAuthorizationHeaders).toBe(0);
  });

  it('restart-then-resume: records, part bytes and URLs survive an emulator restart', async () => {
    const size = 4 * PART + 10;
    const path = await makeTempFile(size, 'restart.bin');
    const file = await openAsBlob(path);
    const init = await api.initiateUpload({
      filename: 'restart.bin',
      file_type: 'application/x-parquet',
      num_bytes: size,
    });
    const first = await putParts(file, { parts: init.parts.slice(0, 3) });
    await api.checkpointParts(init.upload_id, first.slice(0, 2));
    await emu.close();
    await boot();
    const resumed = await api.initiateUpload({
      filename: 'restart.bin',
      file_type: 'application/x-parquet',
      num_bytes: size,
      resume_if_started: true,
    });
    expect(resumed).toMatchObject({ upload_id: init.upload_id, is_resume: true, num_parts: 5 });
    expect(resumed.parts.map((p) => p.part_number)).toEqual([2, 3, 4]);
    // part 2 was stored before the restart: checkpoint its token instead of re-sending it
    expect(await api.checkpointParts(init.upload_id, [first[2]!])).toEqual({ num_checkpointed: 1 });
    const rest = await putParts(file, { parts: resumed.parts.slice(1) });
    const checksum = crc32cToBase64(crc32cSync(readFileSync(path)));
    await api.completeUpload(init.upload_id, { parts: rest, integrity_checksum: checksum });
    expect((await download('restart.bin')).equals(readFileSync(path))).toBe(true);
  });
});
