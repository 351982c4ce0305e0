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
  /** Bytes read per step; bounds memory. Default 4 MiB. */
  chunkSize?: number;
  signal?: AbortSignal;
  /** Called with the number of bytes hashed so far. */
  onProgress?: (bytesHashed: number) => void;
}

/**
 * CRC-32C of a Blob (or File slice), read `chunkSize` bytes at a time so that
 * at most one chunk is held in memory, however large the blob.
 */
export async function crc32cOfBlob(blob: Blob, options: Crc32cOfBlobOptions = {}): Promise<number> {
  const chunkSize = options.chunkSize ?? 4 * 1024 * 1024;
  const hasher = await createCrc32c();
  for (let offset = 0; offset < blob.size; offset += chunkSize) {
    options.signal?.throwIfAborted();
    const buf = await blob.slice(offset, Math.min(offset + chunkSize, blob.size)).arrayBuffer();
    hasher.update(new Uint8Array(buf));
    options.onProgress?.(Math.min(offset + chunkSize, blob.size));
  }
  return hasher.digest();
}
