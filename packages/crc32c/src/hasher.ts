import { createCRC32, type IHasher } from 'hash-wasm';
import { CRC32C_POLYNOMIAL } from './combine.js';

/** Incremental CRC-32C over byte chunks. */
export interface Crc32cHasher {
  update(chunk: Uint8Array): void;
  /** The CRC of everything passed to `update` so far; the hasher is reset afterwards. */
  digest(): number;
}

/**
 * A streaming CRC-32C hasher backed by hash-wasm's WebAssembly CRC kernel.
 * Each call instantiates its own WASM state, so hashers can run side by side.
 */
export async function createCrc32c(): Promise<Crc32cHasher> {
  const inner: IHasher = await createCRC32(CRC32C_POLYNOMIAL);
  inner.init();
  return {
    update(chunk) {
      inner.update(chunk);
    },
    digest() {
      const bytes = inner.digest('binary');
      inner.init();
      return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
    },
  };
}

/** Options for {@link crc32cOfBlob}. */
export interface Crc32cOfBlobOptions {
  /** Bytes per read when the blob cannot be streamed. Default 4 MiB. */
  chunkSize?: number;
  signal?: AbortSignal;
  /** Called with the number of bytes hashed so far. */
  onProgress?: (bytesHashed: number) => void;
}

/**
 * CRC-32C of a Blob (or File slice) in bounded memory, however large the blob. Reads
 * through `blob.stream()` where available: in Chromium that is 2–2.5× faster than
 * repeated `slice().arrayBuffer()` reads (measured in a worker: ~640 vs ~250–300 MB/s
 * with 2 MiB slices), and each chunk it yields is small.
 */
export async function crc32cOfBlob(blob: Blob, options: Crc32cOfBlobOptions = {}): Promise<number> {
  const hasher = await createCrc32c();
  let done = 0;
  if (typeof blob.stream === 'function') {
    const reader = blob.stream().getReader();
    try {
      for (;;) {
        options.signal?.throwIfAborted();
        const { done: end, value } = await reader.read();
        if (end) break;
        hasher.update(value);
        done += value.byteLength;
        options.onProgress?.(done);
      }
    } finally {
      reader.releaseLock();
    }
    return hasher.digest();
  }
  const chunkSize = options.chunkSize ?? 4 * 1024 * 1024;
  for (let offset = 0; offset < blob.size; offset += chunkSize) {
    options.signal?.throwIfAborted();
    const end = Math.min(offset + chunkSize, blob.size);
    hasher.update(new Uint8Array(await blob.slice(offset, end).arrayBuffer()));
    options.onProgress?.(end);
  }
  return hasher.digest();
}
