import { Crc32cUnavailableError, crc32cSync } from '@atai-upload/crc32c';
import { QueryClient } from '@tanstack/query-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createMemoryStorage,
  createResumeStore,
  createUploadController,
  createUploadQueue,
  MAX_FILE_BYTES,
  PartState,
  type UploadController,
  UploadError,
  type UploadStatus,
} from '../src/index.js';
import { FakeServer, fakeOptions, httpError, makeFile, networkError } from './fakes.js';

const controllers: UploadController[] = [];
function make(server: FakeServer, extra: Parameters<typeof fakeOptions>[1] = {}) {
  const c = createUploadController(fakeOptions(server, extra));
  controllers.push(c);
  return c;
}
afterEach(() => {
  for (const c of controllers.splice(0)) c.dispose();
});

function statuses(c: UploadController): UploadStatus[] {
  const seen: UploadStatus[] = [c.getSnapshot().status];
  c.store.subscribe((s) => {
    if (s.status !== seen.at(-1)) seen.push(s.status);
  });
  return seen;
}

async function until(c: UploadController, status: UploadStatus) {
  await vi.waitFor(() => expect(c.getSnapshot().status).toBe(status), {
    timeout: 3000,
    interval: 2,
  });
}

async function expectUploadError(p: Promise<unknown>, code: string) {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(UploadError);
  expect((e as UploadError).code).toBe(code);
}

describe('upload controller: happy path', () => {
  it('walks idle → preparing → initiating → uploading → completing → completed and stores identical bytes', async () => {
    const server = new FakeServer();
    const c = make(server);
    const seen = statuses(c);
    const file = makeFile(10);
    await c.start(file);
    const done = await c.settled();
    expect(done.status).toBe('completed');
    expect(seen).toEqual([
      'idle',
      'preparing',
      'initiating',
      'uploading',
      'completing',
      'completed',
    ]);
    const id = done.uploadId!;
    expect(server.assembled(id)).toEqual(new Uint8Array(await file.arrayBuffer()));
    expect(done.progress).toMatchObject({
      bytesUploaded: 10,
      bytesTotal: 10,
      partsDone: 3,
      partsTotal: 3,
      fraction: 1,
    });
    expect(done.result).toMatchObject({ file_status: 'Registered', file_uid: `fil_${id}` });
    expect(Array.from(c.partStates)).toEqual([3, 3, 3]);
    expect(server.puts.sort()).toEqual([0, 1, 2]);
  });

  it('runs every API step as a TanStack mutation of the given QueryClient', async () => {
    const server = new FakeServer();
    const queryClient = new QueryClient();
    const c = make(server, { queryClient, checkpointBatchSize: 1 });
    await c.start(makeFile(8));
    await c.settled();
    const kinds = queryClient
      .getMutationCache()
      .getAll()
      .map((m) => m.options.mutationKey?.[1]);
    expect(kinds).toContain('initiate');
    expect(kinds.filter((k) => k === 'putPart')).toHaveLength(2);
    expect(kinds).toContain('checkpoint');
    expect(kinds).toContain('complete');
    expect(
      queryClient
        .getMutationCache()
        .getAll()
        .every((m) => m.options.mutationKey?.[0] === 'atai-upload'),
    ).toBe(true);
  });

  it('keeps the mutation cache bounded on a many-part upload', async () => {
    const server = new FakeServer();
    server.partSize = 1;
    // Settled mutations are dropped by TanStack's gcTime (short here, 30 s by default).
    const queryClient = new QueryClient({ defaultOptions: { mutations: { gcTime: 20 } } });
    const c = make(server, { queryClient, concurrency: 8 });
    await c.start(makeFile(600));
    expect((await c.settled()).status).toBe('completed');
    const puts = () =>
      queryClient.getMutationCache().findAll({ mutationKey: ['atai-upload', 'putPart'] });
    expect(puts().length).toBeGreaterThan(0);
    await vi.waitFor(() => expect(puts().length).toBeLessThanOrEqual(128));
  });

  it('sends only tokens not yet checkpointed with complete', async () => {
    const server = new FakeServer();
    const c = make(server, {
      concurrency: 1,
      checkpointBatchSize: 2,
      checkpointIntervalMs: 10_000,
    });
    await c.start(makeFile(20)); // 5 parts: two batches of 2 checkpointed, one left for complete
    await c.settled();
    const checkpointed = server.checkpoints.flat().map((p) => p.part_number);
    const completed = server.completes[0]!.parts.map((p) => p.part_number);
    expect(checkpointed.length + completed.length).toBe(5);
    expect(new Set([...checkpointed, ...completed]).size).toBe(5);
    expect(completed.length).toBeGreaterThan(0);
  });

  it('derives the file type from the extension when the browser gives none or a generic one', async () => {
    const server = new FakeServer();
    const c = make(server);
    await c.start(new File([new Uint8Array(3)], 'data.parquet', { type: '' }));
    const s = await c.settled();
    expect(s.file?.type).toBe('application/x-parquet');
    expect(server.uploads.get(s.uploadId!)?.type).toBe('application/x-parquet');
    const d = make(server);
    await d.start(
      new File([new Uint8Array(3)], 'rows.jsonl', { type: 'application/octet-stream' }),
    );
    expect((await d.settled()).file?.type).toBe('application/x-ndjson');
  });

  it('refuses a type the API does not take before any request, naming the accepted ones', async () => {
    const server = new FakeServer();
    const c = make(server);
    const gif = c.start(new File([new Uint8Array(3)], 'photo.gif', { type: 'image/gif' }));
    await expectUploadError(gif, 'unsupported_file_type');
    await expect(gif).rejects.toThrow(/application\/x-parquet/);
    await expectUploadError(
      c.start(new File([new Uint8Array(3)], 'x.weird')),
      'unsupported_file_type',
    );
    await expectUploadError(
      c.start(makeFile(3, 'a.csv'), { type: 'application/octet-stream' }),
      'unsupported_file_type',
    );
    expect(server.log).toEqual([]);
    expect(c.getSnapshot().status).toBe('idle');
  });
});

describe('upload controller: input checks', () => {
  it('rejects bad input with typed errors before any request', async () => {
    const server = new FakeServer();
    const c = make(server);
    await expectUploadError(c.start(undefined), 'no_file');
    await expectUploadError(c.start(new File([], 'empty.csv')), 'empty_file');
    const huge = {
      name: 'huge.parquet',
      size: MAX_FILE_BYTES + 1,
      type: '',
      lastModified: 0,
    } as File;
    await expectUploadError(c.start(huge), 'file_too_large');
    expect(server.log).toEqual([]);
    expect(c.getSnapshot().status).toBe('idle');
    server.gate = new Promise(() => {});
    await c.start(makeFile(8));
    await until(c, 'uploading');
    await expectUploadError(c.start(makeFile(8)), 'already_running');
    expect(c.getSnapshot().status).toBe('uploading');
  });
});

describe('upload controller: retries', () => {
  it('retries transient PUT failures with backoff and completes', async () => {
    const server = new FakeServer();
    server.putFault = (n, attempt) =>
      n === 1 && attempt <= 2
        ? httpError('partPut', 503)
        : n === 2 && attempt === 1
          ? networkError('partPut')
          : undefined;
    const c = make(server);
    await c.start(makeFile(12));
    const s = await c.settled();
    expect(s.status).toBe('completed');
    expect(server.attemptsOf(s.uploadId!, 1)).toBe(3);
    expect(server.attemptsOf(s.uploadId!, 2)).toBe(2);
  });

  it('honours Retry-After on 429', async () => {
    const server = new FakeServer();
    const at: number[] = [];
    server.putFault = (_n, attempt) => {
      at.push(Date.now());
      return attempt === 1 ? httpError('partPut', 429, { retryAfterMs: 120 }) : undefined;
    };
    const c = make(server);
    await c.start(makeFile(4));
    expect((await c.settled()).status).toBe('completed');
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(110);
  });

  it('fails after the attempt limit, keeps finished parts, and retry() continues without re-sending them', async () => {
    const server = new FakeServer();
    let broken = true;
    server.putFault = (n) => (n === 2 && broken ? httpError('partPut', 500) : undefined);
    const c = make(server);
    await c.start(makeFile(16));
    const failed = await c.settled();
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'server', resumable: true });
    expect(server.attemptsOf(failed.uploadId!, 2)).toBe(4);
    expect(failed.progress.bytesUploaded).toBe(12);
    broken = false;
    const putsBefore = server.puts.length;
    expect(c.retry()).toBe(true);
    const s = await c.settled();
    expect(s.status).toBe('completed');
    expect(server.puts.slice(putsBefore)).toEqual([2]);
    expect(server.log.filter((r) => r === 'initiate')).toHaveLength(2);
  });

  it('fails at once on a permanent error', async () => {
    const server = new FakeServer();
    server.putFault = (n) => (n === 0 ? httpError('partPut', 400) : undefined);
    const c = make(server);
    await c.start(makeFile(8));
    const s = await c.settled();
    expect(s.error).toMatchObject({ code: 'rejected' });
    expect(server.attemptsOf(s.uploadId!, 0)).toBe(1);
  });

  it('retries API calls on transient errors too', async () => {
    const server = new FakeServer();
    server.apiFault = (route, n) =>
      route === 'initiate' && n === 1
        ? httpError('initiate', 502)
        : route === 'complete' && n === 1
          ? networkError('complete')
          : undefined;
    const c = make(server);
    await c.start(makeFile(4));
    expect((await c.settled()).status).toBe('completed');
  });

  it('treats a 409 on a retried complete as success when the file is registered', async () => {
    const server = new FakeServer();
    const realComplete = server.api.completeUpload;
    let calls = 0;
    (server.api as { completeUpload: typeof realComplete }).completeUpload = async (
      id,
      body,
      o,
    ) => {
      calls++;
      const r = await realComplete(id, body, o);
      if (calls === 1) throw networkError('complete'); // the answer was lost
      return r;
    };
    const c = make(server);
    await c.start(makeFile(4));
    const s = await c.settled();
    expect(s.status).toBe('completed');
    expect(s.result?.file_uid).toBe(`fil_${s.uploadId}`);
  });
});

describe('upload controller: presigned URL refresh', () => {
  it('on a 403 refreshes that part URL and retries once', async () => {
    const server = new FakeServer();
    server.putFault = (n, attempt) =>
      n === 1 && attempt === 1 ? httpError('partPut', 403) : undefined;
    const c = make(server);
    await c.start(makeFile(8));
    expect((await c.settled()).status).toBe('completed');
    expect(server.refreshes.flat()).toContain(1);
  });

  it('fails with url_expired when the refreshed URL is refused too', async () => {
    const server = new FakeServer();
    server.putFault = (n) => (n === 0 ? httpError('partPut', 403) : undefined);
    const c = make(server);
    await c.start(makeFile(4));
    const s = await c.settled();
    expect(s.error).toMatchObject({ code: 'url_expired' });
    expect(server.attemptsOf(s.uploadId!, 0)).toBe(2);
  });

  it('refreshes a URL that fails opaquely twice in a row (a store that hides its 403 from CORS)', async () => {
    const server = new FakeServer();
    const issued = new Set<string>();
    let firstUrl: string | undefined;
    server.urlFault = (url) => {
      issued.add(url);
      firstUrl ??= url;
      // The first URL handed out for part 0 is dead, and says so only as a network error.
      return url === firstUrl ? networkError('partPut') : undefined;
    };
    const c = make(server, { concurrency: 1 });
    await c.start(makeFile(4));
    const s = await c.settled();
    expect(s.status).toBe('completed');
    expect(server.log).toContain('refreshPartUrls');
    expect(issued.size).toBe(2); // the dead URL, then its refresh
  });

  it('refreshes URLs that are about to expire before using them, in batches', async () => {
    const server = new FakeServer();
    server.urlTtlMs = 40; // quarter-lifetime margin: refresh when < 10 ms left
    server.gate = new Promise((r) => setTimeout(r, 60));
    const c = make(server, { concurrency: 1 });
    await c.start(makeFile(16));
    const s = await c.settled();
    expect(s.status).toBe('completed');
    expect(server.refreshes.length).toBeGreaterThan(0);
    expect(Math.max(...server.refreshes.map((r) => r.length))).toBeGreaterThan(1);
  });
});

describe('upload controller: checksum', () => {
  it('sends the whole-file CRC-32C combined from per-part CRCs', async () => {
    const server = new FakeServer();
    server.integrity = 'crc32c';
    const c = make(server);
    const file = makeFile(11);
    await c.start(file);
    const s = await c.settled();
    expect(s.status).toBe('completed');
    expect(s.checksum).toBe('verified');
    const expected = Buffer.alloc(4);
    expected.writeUInt32BE(crc32cSync(new Uint8Array(await file.arrayBuffer())));
    expect(server.completes[0]!.integrity_checksum).toBe(expected.toString('base64'));
  });

  it('sends no checksum when the server offers none or integrity is off', async () => {
    const server = new FakeServer();
    const c = make(server);
    await c.start(makeFile(5));
    expect((await c.settled()).checksum).toBe('disabled');
    server.integrity = 'crc32c';
    const d = make(server, { integrity: false });
    await d.start(makeFile(5, 'b.parquet'));
    await d.settled();
    expect(server.completes.map((x) => x.integrity_checksum)).toEqual([undefined, undefined]);
  });

  /** Storage stores different bytes than the client sent (corruption in transit), while `when()`. */
  function corruptInTransit(server: FakeServer, when: () => boolean) {
    const realPut = server.storage.putPart;
    (server.storage as { putPart: typeof realPut }).putPart = async (input) => {
      if (!when()) return realPut(input);
      const bytes = new Uint8Array(await input.body.arrayBuffer());
      bytes[0] = (bytes[0]! ^ 0xff) & 0xff;
      return realPut({ ...input, body: new Blob([bytes]) });
    };
  }

  for (const [how, mismatchCode] of [
    ['by the code family of the error', 'integrity_checksum_mismatch'],
    ['by the file metadata when the code says nothing', 'bad_request'],
  ] as const) {
    it(`recognises a mismatch ${how}`, async () => {
      const server = new FakeServer();
      server.integrity = 'crc32c';
      server.mismatchCode = mismatchCode;
      corruptInTransit(server, () => true);
      const c = make(server);
      await c.start(makeFile(8));
      const s = await c.settled();
      expect(s.error).toMatchObject({ code: 'integrity_mismatch', resumable: false });
      // Only the metadata path needs to ask the server about the file.
      expect(server.log.includes('metadata')).toBe(mismatchCode === 'bad_request');
    });
  }

  it('a failed complete with a checksum is not called corrupt when the metadata says otherwise', async () => {
    const server = new FakeServer();
    server.integrity = 'crc32c';
    server.apiFault = (route) => (route === 'complete' ? httpError('complete', 400) : undefined);
    const c = make(server);
    await c.start(makeFile(8));
    const s = await c.settled();
    expect(s.error).toMatchObject({ code: 'rejected', resumable: true });
  });

  const refusingHasher = {
    hash: async () => {
      throw new Crc32cUnavailableError({ wasm: new Error('CSP'), js: new Error('off') });
    },
    dispose() {},
  };

  it("integrity 'preferred' (default): a checksum that cannot be computed is skipped, and said", async () => {
    const server = new FakeServer();
    server.integrity = 'crc32c';
    const warnings: string[] = [];
    const c = make(server, { partHasher: refusingHasher, onWarning: (m) => warnings.push(m) });
    await c.start(makeFile(8));
    const s = await c.settled();
    expect(s.status).toBe('completed');
    expect(s.checksum).toBe('unavailable');
    expect(server.completes[0]?.integrity_checksum).toBeUndefined();
    expect(warnings.some((w) => w.startsWith('the checksum could not be computed'))).toBe(true);
  });

  it("integrity 'required': the same failure fails the upload as checksum_unavailable, never network", async () => {
    const server = new FakeServer();
    server.integrity = 'crc32c';
    const c = make(server, { partHasher: refusingHasher, integrity: 'required' });
    await c.start(makeFile(8));
    const s = await c.settled();
    expect(s.status).toBe('failed');
    expect(s.error).toMatchObject({ code: 'checksum_unavailable', resumable: false });
    expect(s.error?.message).toMatch(/^the checksum could not be computed/);
    expect(server.completes).toHaveLength(0);
  });

  it('a CRC worker that fails to start is a checksum failure, not a network one', async () => {
    const server = new FakeServer();
    server.integrity = 'crc32c';
    const broken = {
      hash: async () => {
        throw new Error('CRC worker failed: refused by worker-src');
      },
      dispose() {},
    };
    const c = make(server, { partHasher: broken, integrity: 'required' });
    await c.start(makeFile(8));
    const s = await c.settled();
    expect(s.error).toMatchObject({ code: 'checksum_unavailable' });
    expect(s.error?.message).toBe(
      'the checksum could not be computed: CRC worker failed: refused by worker-src',
    );
  });

  it('surfaces a mismatch as a non-resumable integrity_mismatch; retry uploads afresh', async () => {
    const server = new FakeServer();
    server.integrity = 'crc32c';
    let corrupt = true;
    corruptInTransit(server, () => corrupt);
    const c = make(server);
    await c.start(makeFile(8));
    const s = await c.settled();
    expect(s.status).toBe('failed');
    expect(s.error).toMatchObject({ code: 'integrity_mismatch', resumable: false });
    expect(server.uploads.get(s.uploadId!)?.status).toBe('corrupt');
    corrupt = false;
    c.retry();
    const again = await c.settled();
    expect(again.status).toBe('completed');
    expect(again.uploadId).not.toBe(s.uploadId);
  });
});

describe('upload controller: pause, resume, cancel', () => {
  it('pause stops in-flight PUTs and rolls progress back; resume finishes without re-sending stored parts', async () => {
    const server = new FakeServer();
    let release!: () => void;
    server.gate = new Promise((r) => {
      release = r;
    });
    const c = make(server, { concurrency: 2, checkpointBatchSize: 100 });
    await c.start(makeFile(16));
    await vi.waitFor(() => expect(server.inFlight).toBe(2));
    expect(c.pause()).toBe(true);
    expect(c.getSnapshot()).toMatchObject({ status: 'paused', pauseReason: 'user' });
    await vi.waitFor(() => expect(server.inFlight).toBe(0));
    expect(c.getSnapshot().progress.bytesUploaded).toBe(0);
    expect(c.pause()).toBe(false);
    server.gate = undefined;
    release();
    expect(c.resume()).toBe(true);
    const s = await c.settled();
    expect(s.status).toBe('completed');
    expect(s.isResume).toBe(true);
  });

  it('resume after a pause checkpoints locally known tokens instead of re-uploading them', async () => {
    const server = new FakeServer();
    const c = make(server, {
      concurrency: 1,
      checkpointBatchSize: 100,
      checkpointIntervalMs: 60_000,
    });
    let hold = false;
    let release!: () => void;
    server.putFault = (n) => {
      if (n === 2 && !hold) {
        hold = true;
        server.gate = new Promise((r) => {
          release = r;
        });
      }
      return undefined;
    };
    await c.start(makeFile(16));
    await vi.waitFor(() => expect(server.inFlight).toBe(1));
    await vi.waitFor(() => expect(c.partStates[1]).toBe(PartState.uploaded));
    c.pause();
    server.gate = undefined;
    release?.();
    c.resume();
    const s = await c.settled();
    expect(s.status).toBe('completed');
    const uploadId = s.uploadId!;
    expect(server.attemptsOf(uploadId, 0)).toBe(1);
    expect(server.attemptsOf(uploadId, 1)).toBe(1);
  });

  it('cancel aborts in flight, aborts on the server and forgets the resume record', async () => {
    const server = new FakeServer();
    server.gate = new Promise(() => {});
    const storage = createMemoryStorage();
    const c = make(server, { resumeStore: createResumeStore({ storage }) });
    await c.start(makeFile(16));
    await until(c, 'uploading');
    const uploadId = c.getSnapshot().uploadId!;
    expect(await c.cancel()).toBe(true);
    expect(c.getSnapshot().status).toBe('aborted');
    expect(server.uploads.get(uploadId)?.status).toBe('aborted');
    expect(createResumeStore({ storage }).list()).toEqual([]);
    expect(await c.cancel()).toBe(false);
  });

  it('pauses when the browser goes offline and resumes when it is back', async () => {
    const win = new EventTarget();
    const nav = { onLine: true };
    vi.stubGlobal('window', win);
    vi.stubGlobal('navigator', nav);
    try {
      const server = new FakeServer();
      let release!: () => void;
      server.gate = new Promise((r) => {
        release = r;
      });
      const c = make(server);
      await c.start(makeFile(8));
      await until(c, 'uploading');
      nav.onLine = false;
      win.dispatchEvent(new Event('offline'));
      expect(c.getSnapshot()).toMatchObject({ status: 'paused', pauseReason: 'offline' });
      server.gate = undefined;
      release();
      nav.onLine = true;
      win.dispatchEvent(new Event('online'));
      expect((await c.settled()).status).toBe('completed');
      // Let go of the connectivity watch while the stubbed window still exists.
      c.dispose();
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('upload controller: resume after reload', () => {
  it('a new controller with the same storage resumes: skips checkpointed parts, checkpoints known tokens, uploads the rest', async () => {
    const server = new FakeServer();
    const storage = createMemoryStorage();
    const file = makeFile(40); // 10 parts
    const first = make(server, {
      resumeStore: createResumeStore({ storage }),
      concurrency: 1,
      checkpointBatchSize: 3,
      checkpointIntervalMs: 60_000,
    });
    server.putFault = (n) => {
      if (n === 7) server.gate = new Promise(() => {}); // part 7 lands, part 8 hangs: the tab "crashes"
      return undefined;
    };
    await first.start(file);
    await vi.waitFor(() => expect(first.partStates[7]).toBe(PartState.uploaded));
    first.dispose(); // reload: no abort, nothing flushed
    const uploadId = first.getSnapshot().uploadId!;
    const checkpointedBefore = server.uploads.get(uploadId)!.checkpointed.size;
    expect(checkpointedBefore).toBe(6);

    server.gate = undefined;
    server.putFault = undefined;
    const putsBefore = server.puts.length;
    const second = make(server, { resumeStore: createResumeStore({ storage }) });
    await second.start(file);
    const s = await second.settled();
    expect(s.status).toBe('completed');
    expect(s.uploadId).toBe(uploadId);
    expect(s.isResume).toBe(true);
    expect(s.resumedBytes).toBe(24);
    // parts 6 and 7 were uploaded but not checkpointed: their stored tokens are checkpointed, not re-sent
    expect(server.puts.slice(putsBefore).sort()).toEqual([8, 9]);
    expect(server.checkpoints.at(-1)?.map((p) => p.part_number)).toEqual([6, 7]);
    expect(server.assembled(uploadId)).toEqual(new Uint8Array(await file.arrayBuffer()));
  });

  it('re-uploads parts whose stored tokens the server refuses', async () => {
    const server = new FakeServer();
    const storage = createMemoryStorage();
    const file = makeFile(8);
    const store = createResumeStore({ storage });
    const first = make(server, {
      resumeStore: store,
      checkpointBatchSize: 100,
      checkpointIntervalMs: 60_000,
    });
    server.gate = new Promise(() => {});
    await first.start(file);
    await until(first, 'uploading');
    first.dispose();
    const rec = store.list()[0]!;
    store.put({ ...rec, tokens: { 0: '"bogus"' } });
    server.gate = undefined;
    const second = make(server, { resumeStore: createResumeStore({ storage }) });
    await second.start(file);
    const s = await second.settled();
    expect(s.status).toBe('completed');
    expect(server.assembled(s.uploadId!)).toEqual(new Uint8Array(await file.arrayBuffer()));
  });

  it('a different file under the same name is a clear conflict; startOver replaces the unfinished upload', async () => {
    const server = new FakeServer();
    const storage = createMemoryStorage();
    const first = make(server, { resumeStore: createResumeStore({ storage }) });
    server.gate = new Promise(() => {});
    await first.start(makeFile(8, 'report.csv', 1));
    await until(first, 'uploading');
    const oldId = first.getSnapshot().uploadId!;
    first.dispose();
    server.gate = undefined;

    const second = make(server, { resumeStore: createResumeStore({ storage }) });
    await second.start(makeFile(12, 'report.csv', 2));
    const s = await second.settled();
    expect(s.status).toBe('failed');
    expect(s.error).toMatchObject({ code: 'upload_conflict' });
    expect(server.log.filter((r) => r === 'initiate')).toHaveLength(1); // nothing was sent for the new file
    expect(second.startOver()).toBe(true);
    const done = await second.settled();
    expect(done.status).toBe('completed');
    expect(done.uploadId).not.toBe(oldId);
    await vi.waitFor(() => expect(server.uploads.get(oldId)?.status).toBe('aborted'));
  });

  it('surfaces the server 409 (same name, different size) as upload_conflict', async () => {
    const server = new FakeServer();
    const c = make(server, { resume: 'always' });
    server.gate = new Promise(() => {});
    const other = make(server);
    await other.start(makeFile(8, 'same.csv'));
    await until(other, 'uploading');
    server.gate = undefined;
    await c.start(makeFile(9, 'same.csv'));
    const s = await c.settled();
    expect(s.error).toMatchObject({ code: 'upload_conflict', status: 409 });
  });
});

describe('upload controller: failure modes', () => {
  it('reports a file that can no longer be read as file_unreadable', async () => {
    const server = new FakeServer();
    server.putFault = () => networkError('partPut');
    const file = makeFile(8);
    const slice = file.slice.bind(file);
    (file as { slice: File['slice'] }).slice = (a?: number, b?: number) => {
      const blob = slice(a, b);
      if (b !== undefined && (b ?? 0) - (a ?? 0) === 1) {
        (blob as { arrayBuffer: Blob['arrayBuffer'] }).arrayBuffer = async () => {
          throw new DOMException('file changed', 'NotReadableError');
        };
      }
      return blob;
    };
    const c = make(server);
    await c.start(file);
    const s = await c.settled();
    expect(s.error).toMatchObject({ code: 'file_unreadable', resumable: true });
  });

  it('rejects an initiate answer inconsistent with the file', async () => {
    const server = new FakeServer();
    const real = server.api.initiateUpload;
    (server.api as { initiateUpload: typeof real }).initiateUpload = async (r, o) => ({
      ...(await real(r, o)),
      total_bytes: 999,
    });
    const c = make(server);
    await c.start(makeFile(8));
    expect((await c.settled()).error).toMatchObject({ code: 'invalid_response' });
  });

  it('throttles store updates during a many-part upload', async () => {
    const server = new FakeServer();
    server.partSize = 1;
    const c = make(server, { progressIntervalMs: 50, concurrency: 8 });
    let updates = 0;
    c.store.subscribe(() => updates++);
    await c.start(makeFile(400));
    const s = await c.settled();
    expect(s.status).toBe('completed');
    expect(s.progress.partsDone).toBe(400);
    // 400 parts × (start, progress, done) events would be > 1,000 updates unthrottled
    expect(updates).toBeLessThan(200);
  });
});

describe('upload controller: dispose', () => {
  it('pauses a running upload without a server abort or a checkpoint flush', async () => {
    const server = new FakeServer();
    server.gate = new Promise(() => {});
    const c = make(server, { checkpointBatchSize: 100 });
    await c.start(makeFile(16));
    await until(c, 'uploading');
    const calls = server.log.length;
    c.dispose();
    expect(c.getSnapshot()).toMatchObject({ status: 'paused', pauseReason: 'user' });
    await new Promise((r) => setTimeout(r, 20));
    expect(server.log.slice(calls)).toEqual([]);
    expect(server.uploads.get(c.getSnapshot().uploadId!)?.status).toBe('in_progress');
  });

  it('lets an upload that is completing finish', async () => {
    const server = new FakeServer();
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const realComplete = server.api.completeUpload;
    (server.api as { completeUpload: typeof realComplete }).completeUpload = async (
      id,
      body,
      o,
    ) => {
      await gate;
      return realComplete(id, body, o);
    };
    const c = make(server);
    await c.start(makeFile(8));
    await until(c, 'completing');
    c.dispose();
    release();
    expect((await c.settled()).status).toBe('completed');
  });
});

describe('upload queue', () => {
  it('adds workers to running uploads when the budget grows', async () => {
    const server = new FakeServer();
    let release!: () => void;
    server.gate = new Promise((r) => {
      release = r;
    });
    const queue = createUploadQueue({ ...fakeOptions(server), concurrency: 1 });
    const a = await queue.add(makeFile(40, 'grow.parquet'));
    await vi.waitFor(() => expect(server.inFlight).toBe(1));
    queue.setConcurrency(3);
    await vi.waitFor(() => expect(server.inFlight).toBe(3));
    server.gate = undefined;
    release();
    expect((await a.settled()).status).toBe('completed');
    queue.dispose();
  });

  it('shares one concurrency budget across files', async () => {
    const server = new FakeServer();
    const queue = createUploadQueue({ ...fakeOptions(server), concurrency: 2 });
    const a = await queue.add(makeFile(40, 'a.parquet'));
    const b = await queue.add(makeFile(40, 'b.parquet'));
    const [sa, sb] = await Promise.all([a.settled(), b.settled()]);
    expect([sa.status, sb.status]).toEqual(['completed', 'completed']);
    expect(server.maxInFlight).toBeLessThanOrEqual(2);
    expect(queue.store.getState().uploads).toHaveLength(2);
    await queue.remove(a.id);
    expect(queue.store.getState().uploads.map((u) => u.id)).toEqual([b.id]);
    await expect(queue.add(new File([], 'empty'))).rejects.toMatchObject({ code: 'empty_file' });
    queue.dispose();
  });
});
