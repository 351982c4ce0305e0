import {
  type CompleteUploadRequest,
  errorFromResponse,
  type FilesApiClient,
  FilesApiError,
  type FilesApiRoute,
  type InitiateUploadRequest,
  type PartToken,
  type PartUploader,
  type PresignedPart,
  type PutPartInput,
} from '@atai-upload/api-client';
import { crc32cFromBase64, crc32cSync, crc32cToHex } from '@atai-upload/crc32c';
import {
  createMemoryStorage,
  createResumeStore,
  type PartHasher,
  type UploadOptions,
} from '../src/index.js';

interface FakeUpload {
  id: string;
  filename: string;
  type: string;
  size: number;
  status: 'in_progress' | 'completed' | 'aborted' | 'corrupt';
  parts: Map<number, { etag: string; bytes: Uint8Array }>;
  checkpointed: Map<number, string>;
}

/** The error the real client builds for this HTTP answer (its own status-to-code mapping). */
export function httpError(
  route: FilesApiRoute,
  status: number,
  extra: Partial<{ retryAfterMs: number; code: string }> = {},
) {
  const headers: Record<string, string> =
    extra.retryAfterMs === undefined ? {} : { 'retry-after': String(extra.retryAfterMs / 1000) };
  // The documented envelope, as the real API answers.
  const data = {
    errors: [
      {
        code: extra.code ?? `http_${status}`,
        message: `fake ${status}`,
        suggestion: 'fake suggestion',
        error_uid: `err-fake-${status}`,
      },
    ],
  };
  return errorFromResponse(route, { status, data, headers });
}

export function networkError(route: FilesApiRoute) {
  return new FilesApiError({ code: 'network', route, message: 'fake network error' });
}

/**
 * An in-memory Files API and storage with the contract's semantics, plus hooks to
 * inject failures and to hold PUTs open. No bytes leave the process.
 */
export class FakeServer {
  partSize = 4;
  integrity: 'crc32c' | 'none' = 'none';
  urlTtlMs = 3_600_000;
  uploads = new Map<string, FakeUpload>();
  log: string[] = [];
  puts: number[] = [];
  refreshes: number[][] = [];
  checkpoints: PartToken[][] = [];
  completes: CompleteUploadRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Return an error to fail this PUT attempt. */
  putFault: ((part: number, attempt: number) => Error | undefined) | undefined;
  /** Fails a PUT by its URL (e.g. an opaque failure for URLs a store stopped honouring). */
  urlFault: ((url: string) => Error | undefined) | undefined;
  /** The code a checksum mismatch is answered with (the real API's, unless a test says otherwise). */
  mismatchCode = 'integrity_checksum_mismatch';
  /** Return an error to fail this API call. */
  apiFault: ((route: FilesApiRoute, n: number) => Error | undefined) | undefined;
  /** When set, PUTs wait for this promise (to test pause/cancel mid-flight). */
  gate: Promise<void> | undefined;
  #seq = 0;
  #attempts = new Map<string, number>();
  #apiCalls = new Map<FilesApiRoute, number>();

  #fault(route: FilesApiRoute) {
    const n = (this.#apiCalls.get(route) ?? 0) + 1;
    this.#apiCalls.set(route, n);
    this.log.push(route);
    const e = this.apiFault?.(route, n);
    if (e) throw e;
  }

  #urls(u: FakeUpload, numbers: number[]): PresignedPart[] {
    const expires = new Date(Date.now() + this.urlTtlMs).toISOString();
    return numbers.map((n) => ({
      part_number: n,
      url: `fake://${u.id}/${n}?exp=${Date.parse(expires)}`,
      offset: n * this.partSize,
      length: Math.min(this.partSize, u.size - n * this.partSize),
      expires_at: expires,
    }));
  }

  #get(id: string, route: FilesApiRoute): FakeUpload {
    const u = this.uploads.get(id);
    if (!u) throw httpError(route, 404);
    if (u.status !== 'in_progress') throw httpError(route, 409);
    return u;
  }

  numParts(u: FakeUpload) {
    return Math.ceil(u.size / this.partSize);
  }

  /** The bytes the server would assemble. */
  assembled(id: string): Uint8Array {
    const u = this.uploads.get(id)!;
    const out = new Uint8Array(u.size);
    for (const [n, p] of u.parts) out.set(p.bytes, n * this.partSize);
    return out;
  }

  readonly api: FilesApiClient = {
    baseUrl: 'fake://api',
    initiateUpload: async (req: InitiateUploadRequest) => {
      this.#fault('initiate');
      const existing = [...this.uploads.values()]
        .reverse()
        .find((u) => u.filename === req.filename && u.status === 'in_progress');
      if (req.resume_if_started && existing) {
        if (existing.size !== req.num_bytes || existing.type !== req.file_type)
          throw httpError('initiate', 409);
        const open = Array.from({ length: this.numParts(existing) }, (_, n) => n).filter(
          (n) => !existing.checkpointed.has(n),
        );
        return this.#initiateAnswer(existing, true, open);
      }
      const u: FakeUpload = {
        id: `upl_${++this.#seq}`,
        filename: req.filename,
        type: req.file_type,
        size: req.num_bytes,
        status: 'in_progress',
        parts: new Map(),
        checkpointed: new Map(),
      };
      this.uploads.set(u.id, u);
      return this.#initiateAnswer(
        u,
        false,
        Array.from({ length: this.numParts(u) }, (_, n) => n),
      );
    },
    refreshPartUrls: async (id, numbers) => {
      this.#fault('refreshPartUrls');
      this.refreshes.push([...numbers]);
      return { parts: this.#urls(this.#get(id, 'refreshPartUrls'), [...numbers]) };
    },
    checkpointParts: async (id, parts) => {
      this.#fault('checkpoint');
      const u = this.#get(id, 'checkpoint');
      this.checkpoints.push([...parts]);
      let fresh = 0;
      for (const p of parts) {
        if (u.parts.get(p.part_number)?.etag !== p.part_token) throw httpError('checkpoint', 400);
      }
      for (const p of parts) {
        if (!u.checkpointed.has(p.part_number)) fresh++;
        u.checkpointed.set(p.part_number, p.part_token);
      }
      return { num_checkpointed: fresh };
    },
    completeUpload: async (id, body) => {
      this.#fault('complete');
      const u = this.#get(id, 'complete');
      this.completes.push(body);
      for (const p of body.parts) {
        if (u.parts.get(p.part_number)?.etag !== p.part_token) throw httpError('complete', 400);
      }
      for (let n = 0; n < this.numParts(u); n++) {
        if (!u.checkpointed.has(n) && !body.parts.some((p) => p.part_number === n))
          throw httpError('complete', 400);
      }
      if (body.integrity_checksum !== undefined) {
        if (this.integrity === 'none') throw httpError('complete', 400);
        if (crc32cFromBase64(body.integrity_checksum) !== crc32cSync(this.assembled(id))) {
          u.status = 'corrupt';
          throw httpError('complete', 400, { code: this.mismatchCode });
        }
      }
      u.status = 'completed';
      return {
        file_uid: `fil_${u.id}`,
        file_name: u.filename,
        num_bytes: u.size,
        file_status: 'Registered',
      };
    },
    abortUpload: async (id) => {
      this.#fault('abort');
      const u = this.uploads.get(id);
      if (!u) throw httpError('abort', 404);
      if (u.status === 'completed') throw httpError('abort', 409);
      u.status = 'aborted';
      u.parts.clear();
      u.checkpointed.clear();
    },
    getFileMetadata: async (name) => {
      this.#fault('metadata');
      const u = [...this.uploads.values()].find(
        (x) => x.filename === name && (x.status === 'completed' || x.status === 'corrupt'),
      );
      if (!u) throw httpError('metadata', 404);
      return {
        file_id: u.filename,
        file_uid: `fil_${u.id}`,
        file_status: u.status === 'corrupt' ? 'FILE_STATUS_CORRUPT' : 'FILE_STATUS_REGISTERED',
      };
    },
  };

  #initiateAnswer(u: FakeUpload, isResume: boolean, open: number[]) {
    return {
      upload_id: u.id,
      file_uid: `fil_${u.id}`,
      file_name: u.filename,
      total_bytes: u.size,
      num_parts: this.numParts(u),
      part_size: this.partSize,
      is_resume: isResume,
      integrity_algorithm: this.integrity,
      parts: this.#urls(u, open),
    };
  }

  readonly storage: PartUploader = {
    putPart: async ({ url, body, signal, onProgress }: PutPartInput) => {
      const urlError = this.urlFault?.(url);
      if (urlError) throw urlError;
      const m = /^fake:\/\/([^/]+)\/(\d+)\?exp=(\d+)$/.exec(url);
      if (!m) throw httpError('partPut', 403);
      const [, id, ns, exp] = m;
      const n = Number(ns);
      this.puts.push(n);
      const key = `${id}/${n}`;
      const attempt = (this.#attempts.get(key) ?? 0) + 1;
      this.#attempts.set(key, attempt);
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      try {
        if (Date.now() > Number(exp)) throw httpError('partPut', 403);
        const u = this.uploads.get(id!);
        if (u?.status !== 'in_progress') throw httpError('partPut', 404);
        onProgress?.(Math.floor(body.size / 2));
        if (this.gate) {
          await Promise.race([
            this.gate,
            new Promise((_, reject) =>
              signal?.addEventListener('abort', () =>
                reject(
                  new FilesApiError({ code: 'aborted', route: 'partPut', message: 'aborted' }),
                ),
              ),
            ),
          ]);
        }
        await Promise.resolve();
        signal?.throwIfAborted();
        const fault = this.putFault?.(n, attempt);
        if (fault) throw fault;
        const bytes = new Uint8Array(await body.arrayBuffer());
        const etag = `"${crc32cToHex(crc32cSync(bytes))}-${n}"`;
        u.parts.set(n, { etag, bytes });
        onProgress?.(body.size);
        return { etag };
      } finally {
        this.inFlight--;
      }
    },
  };

  attemptsOf(uploadId: string, n: number) {
    return this.#attempts.get(`${uploadId}/${n}`) ?? 0;
  }
}

/** A File with deterministic content. */
export function makeFile(
  size: number,
  name = 'data.parquet',
  lastModified = 1_700_000_000_000,
  type = '',
): File {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff;
  return new File([bytes], name, { type, lastModified });
}

export const inlineHasher: PartHasher = {
  async hash(part) {
    return crc32cSync(new Uint8Array(await part.arrayBuffer()));
  },
  dispose() {},
};

/** Engine options wired to a fake server, fast retries, in-memory persistence. */
export function fakeOptions(server: FakeServer, extra: Partial<UploadOptions> = {}): UploadOptions {
  return {
    api: server.api,
    partUploader: server.storage,
    resumeStore: createResumeStore({ storage: createMemoryStorage() }),
    // No other tabs in a unit test (the tab tests pass their own FakeLocks).
    locks: null,
    partHasher: inlineHasher,
    retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
    progressIntervalMs: 5,
    checkpointIntervalMs: 50,
    ...extra,
  };
}

/**
 * Web Locks with the semantics the engine relies on: exclusive locks by name, `ifAvailable`
 * answering `null` at once, waiters granted in order when the holder's callback settles, a
 * `signal` that withdraws a waiter, and `query()`. Several controllers sharing one instance
 * behave like tabs of one origin.
 */
export class FakeLocks implements LockManager {
  readonly #held = new Map<string, symbol>();
  readonly #waiting = new Map<string, Array<() => void>>();

  async query(): Promise<LockManagerSnapshot> {
    return {
      held: [...this.#held.keys()].map((name) => ({ name, mode: 'exclusive' as const })),
      pending: [],
    };
  }

  request<T>(name: string, callback: LockGrantedCallback<T>): Promise<T>;
  request<T>(name: string, options: LockOptions, callback: LockGrantedCallback<T>): Promise<T>;
  async request<T>(
    name: string,
    a: LockOptions | LockGrantedCallback<T>,
    b?: LockGrantedCallback<T>,
  ): Promise<T> {
    const options = typeof a === 'function' ? {} : a;
    const callback = (typeof a === 'function' ? a : b)!;
    if (this.#held.has(name)) {
      if (options.ifAvailable) return callback(null);
      await new Promise<void>((grant, reject) => {
        const queue = this.#waiting.get(name) ?? [];
        this.#waiting.set(name, queue);
        const waiter = () => {
          options.signal?.removeEventListener('abort', withdraw);
          grant();
        };
        const withdraw = () => {
          queue.splice(queue.indexOf(waiter), 1);
          reject(options.signal!.reason);
        };
        options.signal?.addEventListener('abort', withdraw, { once: true });
        queue.push(waiter);
      });
    }
    const token = Symbol(name);
    this.#held.set(name, token);
    try {
      return await callback({ name, mode: 'exclusive' } as Lock);
    } finally {
      this.#held.delete(name);
      this.#waiting.get(name)?.shift()?.();
    }
  }
}
