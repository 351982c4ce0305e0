import { describe, expect, it } from 'vitest';
import {
  createFilesApiClient,
  createPartUploader,
  FilesApiError,
  type FilesApiRoute,
  isCorruptFileStatus,
  isIntegrityMismatchCode,
} from '../src/index.js';
import { fakeAxios } from './fake-axios.js';

const req = { filename: 'a.csv', file_type: 'text/csv', num_bytes: 10 };
const UID_1 = 'err-bfa600db-c703-4061-ad9c-c14628b3554c';
const UID_2 = 'err-0c6b3f7e-2d1a-4c55-9e0f-7b8a1d2c3e4f';

/** The error a route call fails with when the server answers `status` and `data`. */
async function failWith(
  route: Exclude<FilesApiRoute, 'partPut'>,
  status: number,
  data: unknown,
  headers?: Record<string, string>,
): Promise<FilesApiError> {
  const { http } = fakeAxios(() => ({ status, data, ...(headers ? { headers } : {}) }));
  const api = createFilesApiClient({ baseUrl: 'http://api/v0.5', axiosInstance: http });
  const calls = {
    initiate: () => api.initiateUpload(req),
    refreshPartUrls: () => api.refreshPartUrls('u', [0]),
    checkpoint: () => api.checkpointParts('u', []),
    complete: () => api.completeUpload('u', { parts: [] }),
    abort: () => api.abortUpload('u'),
    metadata: () => api.getFileMetadata('a.csv'),
  };
  const e = await calls[route]().then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(FilesApiError);
  return e as FilesApiError;
}

async function putFailsWith(status: number, data: unknown): Promise<FilesApiError> {
  const { http } = fakeAxios(() => ({ status, data }));
  const e = await createPartUploader({ axiosInstance: http })
    .putPart({ url: 'http://s/p', body: new Blob(['x']) })
    .then(
      () => undefined,
      (x: unknown) => x,
    );
  expect(e).toBeInstanceOf(FilesApiError);
  return e as FilesApiError;
}

describe('the documented error envelope', () => {
  it('exposes every error with its code, message, suggestion and error_uid', async () => {
    const e = await failWith('initiate', 400, {
      errors: [
        {
          code: 'invalid_file_type',
          message: 'Unsupported file type: application/octet-stream',
          suggestion: 'Supported types: text/csv, video/mp4',
          error_uid: UID_1,
        },
        { code: 'invalid_file_size', message: 'num_bytes must be positive', error_uid: UID_2 },
      ],
    });
    expect(e).toMatchObject({ code: 'bad_request', status: 400, retryable: false });
    expect(e.errors).toEqual([
      {
        code: 'invalid_file_type',
        message: 'Unsupported file type: application/octet-stream',
        suggestion: 'Supported types: text/csv, video/mp4',
        errorUid: UID_1,
      },
      { code: 'invalid_file_size', message: 'num_bytes must be positive', errorUid: UID_2 },
    ]);
    expect(e.serverCode).toBe('invalid_file_type');
    expect(e.suggestion).toBe('Supported types: text/csv, video/mp4');
    expect(e.errorUid).toBe(UID_1);
    expect(e.rawBody).toBeUndefined();
    // The message a UI shows carries what the server said, all of it.
    expect(e.message).toBe(
      'Initiate upload failed (400): Unsupported file type: application/octet-stream. ' +
        'num_bytes must be positive. Suggestion: Supported types: text/csv, video/mp4. ' +
        `(error id ${UID_1})`,
    );
  });

  it('takes the suggestion and error_uid from a later error when the first has none', async () => {
    const e = await failWith('checkpoint', 400, {
      errors: [
        { code: 'NOT_FOUND' },
        'a bare string',
        42,
        { message: 'second', suggestion: 'do this', error_uid: UID_2 },
      ],
    });
    expect(e.errors).toEqual([
      { code: 'NOT_FOUND' },
      { message: 'a bare string' },
      { message: 'second', suggestion: 'do this', errorUid: UID_2 },
    ]);
    expect(e).toMatchObject({ serverCode: 'NOT_FOUND', suggestion: 'do this', errorUid: UID_2 });
    expect(e.message).toContain('NOT_FOUND. a bare string. second.');
  });

  it('keeps the error list immutable', async () => {
    const e = await failWith('initiate', 400, { errors: [{ code: 'x', message: 'y' }] });
    expect(Object.isFrozen(e.errors)).toBe(true);
    expect(Object.isFrozen(e.errors[0])).toBe(true);
  });

  it('reads the envelope when it arrives as text', async () => {
    const text = JSON.stringify({ errors: [{ code: 'upload_not_found', message: 'gone' }] });
    const e = await failWith('refreshPartUrls', 404, text);
    expect(e).toMatchObject({ code: 'not_found', serverCode: 'upload_not_found' });
    expect(e.rawBody).toBeUndefined();
  });
});

describe('other error bodies', () => {
  it('reads the legacy {"detail"} envelope', async () => {
    const e = await failWith('initiate', 401, { detail: 'Invalid token' });
    expect(e).toMatchObject({ code: 'unauthorized', serverCode: undefined, rawBody: undefined });
    expect(e.errors).toEqual([{ message: 'Invalid token' }]);
    expect(e.message).toMatch(/\(401\).*: Invalid token\.$/);
  });

  it('reads a FastAPI validation list under "detail"', async () => {
    const e = await failWith('initiate', 422, {
      detail: [{ loc: ['body', 'num_bytes'], msg: 'field required', type: 'missing' }],
    });
    expect(e.errors).toEqual([{ code: 'missing', message: 'body.num_bytes: field required' }]);
    expect(e.code).toBe('bad_request');
  });

  it('keeps an unknown JSON body as raw text', async () => {
    const e = await failWith('complete', 502, { oops: true, trace: [1, 2] });
    expect(e).toMatchObject({ code: 'server_error', retryable: true });
    expect(e.errors).toEqual([]);
    expect(e.rawBody).toBe('{"oops":true,"trace":[1,2]}');
    expect(e.message).toContain('{"oops":true,"trace":[1,2]}');
  });

  it('keeps a lone {code, message} object, and its raw text since it is not documented', async () => {
    const e = await failWith('abort', 400, { code: 'weird', message: 'not the envelope' });
    expect(e.errors).toEqual([{ code: 'weird', message: 'not the envelope' }]);
    expect(e.rawBody).toBe('{"code":"weird","message":"not the envelope"}');
  });

  it('bounds a huge HTML page from a proxy, and shows only its gist in the message', async () => {
    const page = `<html><body><h1>502 Bad Gateway</h1>${'x'.repeat(10_000)}</body></html>`;
    const e = await failWith('initiate', 502, page);
    expect(e.rawBody?.startsWith('<html><body><h1>502 Bad Gateway</h1>')).toBe(true);
    expect(e.rawBody?.length).toBeLessThan(2100);
    expect(e.rawBody).toMatch(/… \(\d+ more chars\)$/);
    expect(e.message.length).toBeLessThan(300);
  });

  it('has no errors and no raw body for an empty body', async () => {
    const e = await failWith('metadata', 404, '');
    expect(e).toMatchObject({ code: 'not_found', errors: [], rawBody: undefined });
    expect(e.message).toBe('Get file metadata failed (404)');
  });

  it('reads S3 XML from storage and keeps its raw text (RequestId and all)', async () => {
    const xml =
      '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message>' +
      '<RequestId>tx0001</RequestId></Error>';
    const e = await putFailsWith(403, xml);
    expect(e).toMatchObject({ code: 'url_expired', serverCode: 'AccessDenied', rawBody: xml });
    expect(e.errors).toEqual([{ code: 'AccessDenied', message: 'Request has expired' }]);
    expect(e.message).toContain('Request has expired');
  });
});

describe('classification', () => {
  it('decides retries by status, never by the words of the body', async () => {
    const sayRetry = {
      errors: [{ code: 'service_unavailable', message: 'temporary, please retry later' }],
    };
    expect(await failWith('initiate', 400, sayRetry)).toMatchObject({ retryable: false });
    const quiet = { errors: [{ code: 'bad_request', message: 'permanent failure, do not retry' }] };
    for (const status of [408, 429, 500, 502, 503, 504]) {
      expect(await failWith('initiate', status, quiet), String(status)).toMatchObject({
        retryable: true,
      });
    }
    const xml = '<Error><Code>SlowDown</Code><Message>retry</Message></Error>';
    expect(await putFailsWith(400, xml)).toMatchObject({ code: 'bad_request', retryable: false });
  });

  it.each([
    ['integrity_checksum_mismatch', 400],
    ['integrity_mismatch', 422], // the emulator's old answer
    ['CHECKSUM_MISMATCH', 409],
    ['file_corrupt', 400],
  ])(
    'a checksum mismatch on complete is recognised by its code family: %s (%i)',
    async (code, status) => {
      const e = await failWith('complete', status, { errors: [{ code, message: 'm' }] });
      expect(e).toMatchObject({ code: 'integrity_mismatch', retryable: false, serverCode: code });
      expect(e.message).toMatch(/marked Corrupt/);
    },
  );

  it('recognises the mismatch in any error of the envelope, and in the legacy shape', async () => {
    const second = await failWith('complete', 400, {
      errors: [{ code: 'file_rejected' }, { code: 'integrity_checksum_mismatch' }],
    });
    expect(second.code).toBe('integrity_mismatch');
    const legacy = await failWith('complete', 422, {
      detail: 'mismatch',
      error_code: 'integrity_mismatch',
    });
    expect(legacy.code).toBe('integrity_mismatch');
  });

  it('does not take wording, 422, a bad checksum value or another route for a mismatch', async () => {
    const cases: Array<[Exclude<FilesApiRoute, 'partPut'>, number, unknown]> = [
      ['complete', 422, { errors: [{ code: 'unprocessable', message: 'x' }] }],
      ['complete', 400, { errors: [{ code: 'invalid_request', message: 'the file is corrupt' }] }],
      ['complete', 400, { errors: [{ code: 'invalid_integrity_checksum' }] }],
      ['complete', 400, { errors: [{ code: 'integrity_not_supported' }] }],
      ['complete', 400, 'checksum mismatch: file corrupt'],
      ['checkpoint', 400, { errors: [{ code: 'integrity_checksum_mismatch' }] }],
    ];
    for (const [route, status, body] of cases) {
      expect((await failWith(route, status, body)).code, JSON.stringify(body)).toBe('bad_request');
    }
    // A 5xx stays a retryable server error whatever its code says.
    const busy = await failWith('complete', 503, { errors: [{ code: 'checksum_mismatch' }] });
    expect(busy).toMatchObject({ code: 'server_error', retryable: true });
  });

  it('decodes the entities of an S3 XML message', async () => {
    const xml =
      '<Error><Code>InvalidArgument</Code><Message>Length 9 doesn&#39;t match &amp; &#128640; &#99999999;</Message></Error>';
    const e = await putFailsWith(400, xml);
    expect(e.errors).toEqual([
      { code: 'InvalidArgument', message: "Length 9 doesn't match & 🚀 &#99999999;" },
    ]);
  });

  it('maps 400 TokenExpired on a part PUT to url_expired by its code', async () => {
    const e = await putFailsWith(400, '<Error><Code>TokenExpired</Code></Error>');
    expect(e.code).toBe('url_expired');
  });
});

describe('isIntegrityMismatchCode and isCorruptFileStatus', () => {
  it('tell the mismatch family and both corrupt formats apart from the rest', () => {
    for (const yes of ['integrity_checksum_mismatch', 'Crc32c_Mismatch', 'FILE_CORRUPT']) {
      expect(isIntegrityMismatchCode(yes), yes).toBe(true);
    }
    for (const no of ['invalid_integrity_checksum', 'etag_mismatch', 'upload_completed']) {
      expect(isIntegrityMismatchCode(no), no).toBe(false);
    }
    expect(isCorruptFileStatus('Corrupt')).toBe(true);
    expect(isCorruptFileStatus('FILE_STATUS_CORRUPT')).toBe(true);
    expect(isCorruptFileStatus('FILE_STATUS_REGISTERED')).toBe(false);
    expect(isCorruptFileStatus('Registered')).toBe(false);
    expect(isCorruptFileStatus(undefined)).toBe(false);
  });
});

describe('getFileMetadata', () => {
  it('accepts the documented long form', async () => {
    const long = {
      file_id: 'a.csv',
      file_uid: 'fil_1',
      is_valid: true,
      file_type: 'text/csv',
      num_bytes: 10,
      file_status: 'FILE_STATUS_REGISTERED',
      file_attributes: { metadata_status: 'not_extracted' },
      ingested: false,
      file_index: 3,
      file_tags: ['a'],
    };
    const { http } = fakeAxios(() => ({ status: 200, data: long }));
    const api = createFilesApiClient({ baseUrl: 'http://api/v0.5', axiosInstance: http });
    expect(await api.getFileMetadata('a.csv')).toEqual(long);
    const bad = fakeAxios(() => ({ status: 200, data: { ...long, is_valid: 'yes' } }));
    const strict = createFilesApiClient({ baseUrl: 'http://api/v0.5', axiosInstance: bad.http });
    await expect(strict.getFileMetadata('a.csv')).rejects.toMatchObject({
      code: 'invalid_response',
    });
  });
});
