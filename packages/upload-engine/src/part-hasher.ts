import { type Crc32cPartCallback, crc32cOfBlob, crc32cOfBlobParts } from '@atai-upload/crc32c';

/** Computes the CRC-32C of one part (a lazy Blob slice), off the main thread where possible. */
export interface PartHasher {
  hash(part: Blob, signal?: AbortSignal): Promise<number>;
  /**
   * Optional: the CRC-32C of every `partSize`-byte part of `blob` (the last may be shorter),
   * from one read of it, `onPart(index, crc, length)` in order as each part is hashed;
   * resolves when the blob is read, rejects with `signal.reason` when aborted. The engine
   * uses it where present, one call per stretch of parts, instead of `hash` per part: a
   * single Blob per stretch rather than one per part (see `crc32cOfBlobParts`).
   */
  hashParts?(
    blob: Blob,
    partSize: number,
    onPart: Crc32cPartCallback,
    signal?: AbortSignal,
  ): Promise<void>;
  /** Frees workers. */
  dispose(): void;
}

/** Bytes per read when a blob cannot be streamed: bounds memory to one chunk per hasher. */
export const HASH_CHUNK_BYTES = 2 * 1024 * 1024;

/**
 * Hashes on the calling thread, streaming the part through hash-wasm. Used in Node, and
 * in browsers where workers are unavailable.
 */
export function createInlinePartHasher(): PartHasher {
  const options = (signal?: AbortSignal) => ({
    chunkSize: HASH_CHUNK_BYTES,
    ...(signal ? { signal } : {}),
  });
  return {
    hash: (part, signal) => crc32cOfBlob(part, options(signal)),
    hashParts: (blob, partSize, onPart, signal) =>
      crc32cOfBlobParts(blob, partSize, onPart, options(signal)),
    dispose() {},
  };
}

/**
 * Request/answer messages between the engine and the CRC worker. A request with `partSize`
 * hashes the blob part by part: one `{ id, part, crc, length }` per part, then `{ id, crc }`
 * (crc 0) when the blob is read. `{ id, cancel: true }` stops such a request (no answer).
 */
export type HashRequest =
  | { id: number; blob: Blob; chunkBytes: number; partSize?: number }
  | { id: number; cancel: true };
export type HashReply =
  | { id: number; crc: number }
  | { id: number; part: number; crc: number; length: number }
  | { id: number; error: { name: string; message: string } };

/**
 * Hashes in a Web Worker (see `crc32c.worker.ts`): the blob is posted by
 * reference (no copy), the worker streams it in chunks through hash-wasm.
 */
export function createWorkerPartHasher(createWorker: () => Worker): PartHasher {
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<
    number,
    {
      resolve: (crc: number) => void;
      reject: (e: Error) => void;
      onPart?: Crc32cPartCallback;
    }
  >();
  const get = () => {
    if (worker) return worker;
    const w = createWorker();
    w.onmessage = (ev: MessageEvent<HashReply>) => {
      const p = pending.get(ev.data.id);
      if (!p) return;
      if ('part' in ev.data) {
        try {
          p.onPart?.(ev.data.part, ev.data.crc, ev.data.length);
        } catch (e) {
          // The engine refused the part (out of order): the stretch fails, its read stops.
          pending.delete(ev.data.id);
          w.postMessage({ id: ev.data.id, cancel: true } satisfies HashRequest);
          p.reject(e instanceof Error ? e : new Error(String(e)));
        }
        return;
      }
      pending.delete(ev.data.id);
      if ('crc' in ev.data) p.resolve(ev.data.crc);
      else {
        const e = new Error(ev.data.error.message);
        e.name = ev.data.error.name;
        p.reject(e);
      }
    };
    w.onerror = (ev) => {
      for (const p of pending.values()) p.reject(new Error(`CRC worker failed: ${ev.message}`));
      pending.clear();
      worker = undefined;
      w.terminate();
    };
    worker = w;
    return w;
  };
  /**
   * Posts one request and settles it from the worker's answers or from `signal`. On abort a
   * stretch (`onPart` given) is cancelled in the worker, the rest of a file being worth
   * stopping; a single part is finished anyway and its answer dropped. The abort listener
   * goes when the request settles: the upload's signal outlives thousands of parts.
   */
  const request = (
    body: { blob: Blob; partSize?: number },
    signal: AbortSignal | undefined,
    onPart?: Crc32cPartCallback,
  ) =>
    new Promise<number>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const id = nextId++;
      const w = get();
      const onAbort = () => {
        if (!pending.delete(id)) return;
        if (onPart) w.postMessage({ id, cancel: true } satisfies HashRequest);
        reject(signal?.reason);
      };
      const settling =
        <T>(settle: (value: T) => void) =>
        (value: T) => {
          signal?.removeEventListener('abort', onAbort);
          settle(value);
        };
      pending.set(id, {
        resolve: settling(resolve),
        reject: settling(reject),
        ...(onPart ? { onPart } : {}),
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      w.postMessage({ id, ...body, chunkBytes: HASH_CHUNK_BYTES } satisfies HashRequest);
    });
  return {
    hash: (blob, signal) => request({ blob }, signal),
    hashParts: async (blob, partSize, onPart, signal) => {
      await request({ blob, partSize }, signal, onPart);
    },
    dispose() {
      worker?.terminate();
      worker = undefined;
      for (const p of pending.values()) p.reject(new Error('CRC hasher disposed'));
      pending.clear();
    },
  };
}

/**
 * The default hasher: a module Web Worker when the platform has `Worker`,
 * inline hash-wasm otherwise.
 */
export function createDefaultPartHasher(): PartHasher {
  if (typeof Worker === 'undefined') return createInlinePartHasher();
  try {
    return createWorkerPartHasher(
      () =>
        new Worker(new URL('./crc32c.worker.js', import.meta.url), {
          type: 'module',
          name: 'atai-upload-crc32c',
        }),
    );
  } catch {
    return createInlinePartHasher();
  }
}
