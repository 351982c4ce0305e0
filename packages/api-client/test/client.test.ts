import axios, { AxiosError } from 'axios';
import { describe, expect, it } from 'vitest';
import {
  createFilesApiClient,
  createPartUploader,
  FilesApiError,
  parseRetryAfter,
} from '../src/index.js';
import { fakeAxios, initiateOk } from './fake-axios.js';

const req = { filename: 'a.csv', file_type: 'text/csv', num_bytes: 10 };

async function caught(p: Promise<unknown>): Promise<FilesApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(FilesApiError);
    return e as FilesApiError;
  }
  throw new Error('expected a rejection');
}

describe('createFilesApiClient', () => {
  it('sends JSON to the versioned route with a bearer key and parses the answer', async () => {
    const { http, requests } = fakeAxios(() => ({ status: 200, data: initiateOk }));
    const api = createFilesApiClient({
      baseUrl: 'http://api/v0.5/',
      apiKey: 'k1',
      axiosInstance: http,
    });
    const res = await api.initiateUpload({ ...req, resume_if_started: true });
    expect(res.upload_id).toBe('upl_1');
    expect(requests[0]?.url).toBe('http://api/v0.5/files/uploads/initiate');
    expect(requests[0]?.method).toBe('post');
    expect(requests[0]?.headers.Authorization).toBe('Bearer k1');
    expect(JSON.parse(requests[0]?.data as string)).toEqual({ ...req, resume_if_started: true });
  });

  it('asks the token provider on every request and adds extra headers', async () => {
    let n = 0;
    const { http, requests } = fakeAxios(() => ({ status: 200, data: { num_checkpointed: 1 } }));
    const api = createFilesApiClient({
      baseUrl: '/api/v0.5',
      apiKey: 'ignored-when-provider-present',
      getAccessToken: async () => `t${++n}`,
      headers: (route) => ({ 'X-Route': route }),
      axiosInstance: http,
    });
    await api.checkpointParts('upl/1', [{ part_number: 0, part_token: '"e"' }]);
    await api.checkpointParts('upl/1', []);
    expect(requests.map((r) => r.headers.Authorization)).toEqual(['Bearer t1', 'Bearer t2']);
    expect(requests[0]?.headers['X-Route']).toBe('checkpoint');
    expect(requests[0]?.url).toBe('/api/v0.5/files/uploads/upl%2F1/parts/checkpoint');
  });

  it('on a 401, asks the provider again with refused: true and repeats the request once', async () => {
    const hints: boolean[] = [];
    let valid = 'new';
    const { http, requests } = fakeAxios((config) =>
      config.headers.Authorization === `Bearer ${valid}`
        ? { status: 200, data: { num_checkpointed: 0 } }
        : { status: 401, data: { errors: [{ code: 'unauthorized', message: 'expired' }] } },
    );
    const api = createFilesApiClient({
      baseUrl: '/api/v0.5',
      getAccessToken: (_route, hint) => {
        hints.push(hint.refused);
        return hint.refused ? 'new' : 'stale';
      },
      axiosInstance: http,
    });
    await api.checkpointParts('upl_1', []);
    expect(hints).toEqual([false, true]);
    expect(requests.map((r) => r.headers.Authorization)).toEqual(['Bearer stale', 'Bearer new']);

    // Still refused with the fresh token: one repeat only, then the 401 as a typed error.
    valid = 'rotated-again';
    hints.length = 0;
    const e = await caught(api.checkpointParts('upl_1', []));
    expect(e.code).toBe('unauthorized');
    expect(hints).toEqual([false, true]);
  });

  it('does not repeat a 401 when the key is static', async () => {
    const { http, requests } = fakeAxios(() => ({ status: 401, data: {} }));
    const api = createFilesApiClient({ baseUrl: '/api/v0.5', apiKey: 'k', axiosInstance: http });
    expect((await caught(api.abortUpload('upl_1'))).code).toBe('unauthorized');
    expect(requests).toHaveLength(1);
  });

  it('sends no Authorization when neither key nor provider is given (same-origin proxy)', async () => {
    const { http, requests } = fakeAxios(() => ({ status: 200, data: {} }));
    const api = createFilesApiClient({ baseUrl: '/proxy/v0.5', axiosInstance: http });
    await api.abortUpload('upl_1');
    expect(requests[0]?.headers.Authorization).toBeUndefined();
    expect(requests[0]?.url).toBe('/proxy/v0.5/files/uploads/upl_1/abort');
  });

  it('turns a malformed answer into an invalid_response error naming the field', async () => {
    const { http } = fakeAxios(() => ({
      status: 200,
      data: { ...initiateOk, parts: [{ part_number: -1 }] },
    }));
    const api = createFilesApiClient({ baseUrl: 'http://api/v0.5', axiosInstance: http });
    const e = await caught(api.initiateUpload(req));
    expect(e.code).toBe('invalid_response');
    expect(e.retryable).toBe(false);
    expect(e.message).toMatch(/parts\.0\./);
  });

  // The part list is checked by a fast loop; every rule of the part schema must still hold.
  const goodPart = initiateOk.parts[0]!;
  it.each([
    ['a negative part number', { part_number: -1 }, 'part_number'],
    ['a fractional offset', { offset: 1.5 }, 'offset'],
    ['an empty URL', { url: '' }, 'url'],
    ['a zero length', { length: 0 }, 'length'],
    ['a length given as a string', { length: '10' }, 'length'],
    ['an expiry that is not a timestamp', { expires_at: 'soon' }, 'expires_at'],
    ['a missing expiry', { expires_at: undefined }, 'expires_at'],
  ])('refuses a part list with %s, naming the part and field', async (_what, patch, field) => {
    const parts = Array.from({ length: 9 }, (_, i) => ({ ...goodPart, part_number: i }));
    parts[7] = { ...parts[7]!, ...patch } as (typeof parts)[number];
    for (const route of ['initiate', 'refresh'] as const) {
      const data = route === 'initiate' ? { ...initiateOk, parts } : { parts };
      const { http } = fakeAxios(() => ({ status: 200, data }));
      const api = createFilesApiClient({ baseUrl: 'http://api/v0.5', axiosInstance: http });
      const e = await caught(
        route === 'initiate' ? api.initiateUpload(req) : api.refreshPartUrls('upl_1', [7]),
      );
      expect(e.code).toBe('invalid_response');
      expect(e.message).toContain(`parts.7.${field}:`);
    }
  });

  it('refuses a part that is not an object, and keeps unknown part fields it accepts', async () => {
    const bad = fakeAxios(() => ({ status: 200, data: { ...initiateOk, parts: [goodPart, 'x'] } }));
    const e = await caught(
      createFilesApiClient({ baseUrl: 'http://a/v0.5', axiosInstance: bad.http }).initiateUpload(
        req,
      ),
    );
    expect(e.message).toContain('parts.1:');
    const extra = { ...goodPart, checksum_hint: 'abc' };
    const ok = fakeAxios(() => ({ status: 200, data: { ...initiateOk, parts: [extra] } }));
    const answer = await createFilesApiClient({
      baseUrl: 'http://a/v0.5',
      axiosInstance: ok.http,
    }).initiateUpload(req);
    expect(answer.parts).toEqual([extra]);
  });

  it.each([
    ['initiate', 409, 'upload_conflict', false],
    ['initiate', 401, 'unauthorized', false],
    ['initiate', 400, 'bad_request', false],
    ['initiate', 503, 'server_error', true],
    ['initiate', 500, 'server_error', true],
    ['initiate', 408, 'request_timeout', true],
    ['initiate', 501, 'http_error', false],
    ['abort', 409, 'upload_completed', false],
    // 422 alone no longer means a checksum mismatch: the reference promises no status for it.
    ['complete', 422, 'bad_request', false],
    ['complete', 409, 'conflict', false],
    ['metadata', 404, 'not_found', false],
  ] as const)(
    '%s answered %i becomes %s (retryable %s)',
    async (route, status, code, retryable) => {
      const { http } = fakeAxios(() => ({
        status,
        data: { detail: 'server says no', error_code: 'x' },
      }));
      const api = createFilesApiClient({ baseUrl: 'http://api/v0.5', axiosInstance: http });
      const calls = {
        initiate: () => api.initiateUpload(req),
        abort: () => api.abortUpload('u'),
        complete: () => api.completeUpload('u', { parts: [] }),
        metadata: () => api.getFileMetadata('a.csv'),
      };
      const e = await caught(calls[route]());
      expect(e).toMatchObject({ code, status, retryable, route });
      expect(e.message).toContain('server says no');
    },
  );

  it('reads Retry-After on 429', async () => {
    const { http } = fakeAxios(() => ({ status: 429, data: '', headers: { 'retry-after': '3' } }));
    const api = createFilesApiClient({ baseUrl: 'http://api/v0.5', axiosInstance: http });
    const e = await caught(api.refreshPartUrls('u', [1]));
    expect(e).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 3000 });
  });

  it('classifies network failures, timeouts and cancellation', async () => {
    const net = createFilesApiClient({
      baseUrl: 'http://api/v0.5',
      axiosInstance: axios.create({
        adapter: async (config) => {
          throw new AxiosError('socket hang up', 'ECONNRESET', config);
        },
      }),
    });
    expect(await caught(net.initiateUpload(req))).toMatchObject({
      code: 'network',
      retryable: true,
    });
    const slow = createFilesApiClient({
      baseUrl: 'http://api/v0.5',
      axiosInstance: axios.create({
        adapter: async (config) => {
          throw new AxiosError('timeout of 5ms exceeded', AxiosError.ECONNABORTED, config);
        },
      }),
    });
    expect(await caught(slow.initiateUpload(req))).toMatchObject({
      code: 'timeout',
      retryable: true,
    });
    const { http } = fakeAxios(() => new Promise(() => {}));
    const api = createFilesApiClient({ baseUrl: 'http://api/v0.5', axiosInstance: http });
    const ac = new AbortController();
    ac.abort();
    expect(await caught(api.initiateUpload(req, { signal: ac.signal }))).toMatchObject({
      code: 'aborted',
      retryable: false,
    });
  });
});

describe('parseRetryAfter', () => {
  it('accepts seconds and HTTP dates, ignores garbage', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(
      parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
    ).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('createPartUploader', () => {
  const body = new Blob([new Uint8Array(10)]);

  it('strips credentials even when the axios instance has them as defaults', async () => {
    const { http, requests } = fakeAxios(() => ({ status: 200, headers: { etag: '"abc"' } }));
    http.defaults.headers.common.Authorization = 'Bearer leaked';
    http.defaults.headers.common['X-Api-Key'] = 'leaked';
    const put = createPartUploader({ axiosInstance: http });
    const res = await put.putPart({ url: 'http://storage/p0?sig=1', body });
    expect(res.etag).toBe('"abc"');
    expect(requests[0]?.headers.Authorization).toBeUndefined();
    expect(requests[0]?.headers['X-Api-Key']).toBeUndefined();
    expect(requests[0]?.data).toBe(body);
  });

  it('fails a 2xx without a readable ETag with an error naming the CORS setting', async () => {
    const { http } = fakeAxios(() => ({ status: 200 }));
    const e = await caught(
      createPartUploader({ axiosInstance: http }).putPart({ url: 'http://s/p', body }),
    );
    expect(e.code).toBe('missing_etag');
    expect(e.message).toContain('Access-Control-Expose-Headers: ETag');
    expect(e.retryable).toBe(false);
  });

  it('maps 403 and 400 TokenExpired to url_expired', async () => {
    const xml = (code: string) => `<Error><Code>${code}</Code><Message>m</Message></Error>`;
    for (const [status, data] of [
      [403, xml('AccessDenied')],
      [400, xml('TokenExpired')],
    ] as const) {
      const { http } = fakeAxios(() => ({ status, data }));
      const e = await caught(
        createPartUploader({ axiosInstance: http }).putPart({ url: 'http://s/p', body }),
      );
      expect(e).toMatchObject({ code: 'url_expired', route: 'partPut', retryable: false });
    }
    const { http } = fakeAxios(() => ({ status: 400, data: xml('IncompleteBody') }));
    const e = await caught(
      createPartUploader({ axiosInstance: http }).putPart({ url: 'http://s/p', body }),
    );
    expect(e.code).toBe('bad_request');
  });

  it('aborts a stalled PUT with a retryable timeout, and honours the caller signal', async () => {
    const hang = () =>
      fakeAxios(
        (config) =>
          new Promise((_, reject) => {
            config.signal?.addEventListener?.('abort', () =>
              reject(new axios.CanceledError('stop')),
            );
          }),
      ).http;
    const stalled = await caught(
      createPartUploader({ axiosInstance: hang(), stallTimeoutMs: 30 }).putPart({
        url: 'http://s/p',
        body,
      }),
    );
    expect(stalled).toMatchObject({ code: 'timeout', retryable: true });
    const ac = new AbortController();
    const p = createPartUploader({ axiosInstance: hang(), stallTimeoutMs: 0 }).putPart({
      url: 'http://s/p',
      body,
      signal: ac.signal,
    });
    ac.abort();
    expect(await caught(p)).toMatchObject({ code: 'aborted', retryable: false });
  });
});
