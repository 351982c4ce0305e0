import { createJsHasher } from './js-kernel.js';
import { createKernelSelector } from './kernel.js';
import type { Crc32cHasher, Crc32cKernel, Crc32cKernelChoice } from './types.js';
import { createWasmHasher } from './wasm-kernel.js';

/** The kernel choice shared by every hasher made here (see kernel.ts). */
const selector = createKernelSelector({ wasm: createWasmHasher, js: createJsHasher });

/** Options for {@link createCrc32c}. */
export interface CreateCrc32cOptions {
  /** Default `'auto'`: WebAssembly where the page allows it, JavaScript otherwise. */
  kernel?: Crc32cKernelChoice;
}

/**
 * A streaming CRC-32C hasher. Each call makes its own state (for WebAssembly, its own
 * instance), so hashers can run side by side. Rejects with `Crc32cUnavailableError`
 * only when no allowed kernel can be created.
 */
export function createCrc32c(options: CreateCrc32cOptions = {}): Promise<Crc32cHasher> {
  return selector.create(options.kernel ?? 'auto');
}

/**
 * The kernel `'auto'` uses in this realm (page or worker): `'wasm'`, or `'js'` where
 * WebAssembly is refused. The first call may create a hasher to find out (kept for reuse).
 */
export async function crc32cKernel(): Promise<Crc32cKernel> {
  if (selector.auto) return selector.auto;
  const hasher = await acquire('auto');
  release(hasher);
  return hasher.kernel;
}

/** Options for {@link crc32cOfBlob}. */
export interface Crc32cOfBlobOptions {
  /** Bytes per read when the blob cannot be streamed. Default 4 MiB. */
  chunkSize?: number;
  signal?: AbortSignal;
  /** Called with the number of bytes hashed so far. */
  onProgress?: (bytesHashed: number) => void;
  /** Default `'auto'` (see {@link createCrc32c}). */
  kernel?: Crc32cKernelChoice;
  /**
   * How the blob's bytes are read. `'stream'`: `blob.stream()`, into one reused buffer where
   * the stream allows. `'sync'`: `FileReaderSync`, `chunkSize` bytes at a time (workers only;
   * each read yields to the worker's event loop every 32 MiB). `'slices'`:
   * `blob.slice().arrayBuffer()`, `chunkSize` bytes at a time. Default `'auto'`: `'stream'`
   * where blobs stream, else `'slices'`.
   */
  read?: Crc32cBlobRead;
}

/** See {@link Crc32cOfBlobOptions.read}. */
export type Crc32cBlobRead = 'auto' | 'stream' | 'sync' | 'slices';

/**
 * CRC-32C of a Blob (or File slice) in bounded memory, however large the blob. Reads
 * through `blob.stream()` where available: in Chromium that is 2–2.5× faster than
 * repeated `slice().arrayBuffer()` reads (measured in a worker: ~640 vs ~250–300 MB/s
 * with 2 MiB slices). One reused hasher and, where the stream allows, one reused read
 * buffer: memory stays flat however many blobs go through.
 */
export async function crc32cOfBlob(blob: Blob, options: Crc32cOfBlobOptions = {}): Promise<number> {
  const hasher = await acquire(options.kernel ?? 'auto');
  try {
    return await hashInto(hasher, blob, options);
  } finally {
    release(hasher);
  }
}

/** Called by {@link crc32cOfBlobParts} for each part, in order. */
export type Crc32cPartCallback = (index: number, crc: number, length: number) => void;

/**
 * CRC-32C of each `partSize`-byte part of a blob (the last one may be shorter), from one read
 * of the whole blob: `onPart(index, crc, length)` as each part's last byte passes. One Blob
 * and one stream for any number of parts, where hashing `blob.slice()` per part makes a Blob
 * per part; in a Chromium worker each of those cost the browser process a few KB it kept for
 * the page's life (+56 MiB over 8,192 parts, measured with `bench soak --app hook`). Memory is
 * the read buffer, whatever the blob's size. `onProgress` counts bytes of the whole blob.
 */
export async function crc32cOfBlobParts(
  blob: Blob,
  partSize: number,
  onPart: Crc32cPartCallback,
  options: Crc32cOfBlobOptions = {},
): Promise<void> {
  if (!Number.isSafeInteger(partSize) || partSize <= 0)
    throw new RangeError(`partSize must be a positive integer, not ${partSize}`);
  const hasher = await acquire(options.kernel ?? 'auto');
  let index = 0;
  let inPart = 0;
  // Splits the byte stream at part boundaries: one CRC per part out of one pass.
  const splitter: Crc32cHasher = {
    kernel: hasher.kernel,
    update(chunk) {
      let at = 0;
      while (at < chunk.byteLength) {
        const take = Math.min(partSize - inPart, chunk.byteLength - at);
        hasher.update(take === chunk.byteLength ? chunk : chunk.subarray(at, at + take));
        inPart += take;
        at += take;
        if (inPart === partSize) {
          onPart(index++, hasher.digest(), partSize);
          inPart = 0;
        }
      }
    },
    digest: () => hasher.digest(),
  };
  try {
    const last = await hashInto(splitter, blob, options);
    if (inPart > 0) onPart(index, last, inPart);
  } finally {
    release(hasher);
  }
}

/** Bytes per read where a blob is read by slices or `FileReaderSync` and no `chunkSize` is given. */
const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

/** Bytes per read into the reused buffer of a BYOB read. */
const READ_BUFFER_BYTES = 1024 * 1024;

/**
 * Feeds a stream to the hasher. Where the stream is a byte stream (Chromium's
 * `Blob.stream()`), it reads into one buffer, handed back and forth: the default reader
 * allocates a new chunk per read, and a worker hashing a 2 GiB file then held ~200 MiB
 * of chunks waiting for the GC (renderer RSS, measured in Chromium 156).
 */
async function streamInto(
  hasher: Crc32cHasher,
  stream: ReadableStream<Uint8Array>,
  options: Crc32cOfBlobOptions,
): Promise<void> {
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = stream.getReader({ mode: 'byob' });
  } catch {
    // Not a byte stream here: read its chunks as they come.
  }
  const reader = byob ?? stream.getReader();
  // Held from a root while we read: in a Chromium worker, a byte stream whose only
  // holder was this suspended function was sometimes collected mid-read, and the read
  // never settled (3 hangs in 5 runs of 512–2,048 MiB; none in 10 runs once held).
  live.add(stream);
  let buffer = new ArrayBuffer(byob ? READ_BUFFER_BYTES : 0);
  let done = 0;
  let finished = false;
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      const { done: end, value } = byob
        ? await byob.read(new Uint8Array(buffer))
        : await (reader as ReadableStreamDefaultReader<Uint8Array>).read();
      if (end) break;
      hasher.update(value);
      if (byob) buffer = value.buffer as ArrayBuffer; // the same memory, transferred back
      done += value.byteLength;
      options.onProgress?.(done);
    }
    finished = true;
  } finally {
    // An abandoned stream would go on reading the file into its queue.
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
    live.delete(stream);
  }
}
/** Streams being read (see {@link streamInto}). */
const live = new Set<ReadableStream>();

/**
 * Hashers kept for reuse, per kernel: a WebAssembly hasher is an instance with its own
 * memory, not worth instantiating again for every part of a 32,000-part upload.
 */
const idle: Record<Crc32cKernel, Crc32cHasher[]> = { wasm: [], js: [] };
const MAX_IDLE = 4;

async function acquire(choice: Crc32cKernelChoice): Promise<Crc32cHasher> {
  const kernel = choice === 'auto' ? selector.auto : choice;
  return (kernel && idle[kernel].pop()) ?? (await selector.create(choice));
}

function release(hasher: Crc32cHasher): void {
  hasher.digest(); // resets it, whatever a failed read left behind
  if (idle[hasher.kernel].length < MAX_IDLE) idle[hasher.kernel].push(hasher);
}

async function hashInto(
  hasher: Crc32cHasher,
  blob: Blob,
  options: Crc32cOfBlobOptions,
): Promise<number> {
  const read = options.read ?? 'auto';
  if (read === 'stream' || (read === 'auto' && typeof blob.stream === 'function')) {
    await streamInto(hasher, blob.stream(), options);
    return hasher.digest();
  }
  if (read === 'sync') {
    await readSyncInto(hasher, blob, options);
    return hasher.digest();
  }
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_BYTES;
  for (let offset = 0; offset < blob.size; offset += chunkSize) {
    options.signal?.throwIfAborted();
    const end = Math.min(offset + chunkSize, blob.size);
    hasher.update(new Uint8Array(await blob.slice(offset, end).arrayBuffer()));
    options.onProgress?.(end);
  }
  return hasher.digest();
}

/** Bytes read synchronously between two yields to the worker's event loop. */
const SYNC_YIELD_BYTES = 32 * 1024 * 1024;

/** The `FileReaderSync` constructor of this realm (workers have it, pages do not). */
interface SyncReader {
  readAsArrayBuffer(blob: Blob): ArrayBuffer;
}
function fileReaderSync(): SyncReader {
  const ctor = (globalThis as { FileReaderSync?: new () => SyncReader }).FileReaderSync;
  if (!ctor) throw new TypeError("read: 'sync' needs FileReaderSync, which only workers have");
  return new ctor();
}

/**
 * Reads with `FileReaderSync`, a chunk at a time: no promise, stream or buffer hand-off per
 * chunk. Each read allocates its chunk (the GC takes it back; the chunk size bounds memory).
 * Yields every {@link SYNC_YIELD_BYTES} so a long part does not hold the worker's messages.
 */
async function readSyncInto(
  hasher: Crc32cHasher,
  blob: Blob,
  options: Crc32cOfBlobOptions,
): Promise<void> {
  const reader = fileReaderSync();
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_BYTES;
  let sinceYield = 0;
  for (let offset = 0; offset < blob.size; offset += chunkSize) {
    options.signal?.throwIfAborted();
    const end = Math.min(offset + chunkSize, blob.size);
    hasher.update(new Uint8Array(reader.readAsArrayBuffer(blob.slice(offset, end))));
    options.onProgress?.(end);
    sinceYield += end - offset;
    if (sinceYield >= SYNC_YIELD_BYTES && end < blob.size) {
      sinceYield = 0;
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
}
