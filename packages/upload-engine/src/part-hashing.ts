import { isCrc32cUnavailableError } from '@atai-upload/crc32c';
import { toUploadError, UploadError } from './errors.js';
import type { PartHasher } from './part-hasher.js';
import type { PartTable } from './part-table.js';

/**
 * Parts up to this size are read once when they are sent: the same bytes are hashed and
 * PUT, so the checksum costs the hash and not a second read of the file. Measured in
 * Chromium (bench throughput, 512 MiB, 8 MiB parts): a second read in the CRC worker took the
 * browser's CPU from ~5.5 s (no checksum) to ~10-11 s; reading each part once into memory,
 * hashing it and PUTting the bytes took ~5.4 s. The cost is memory: up to one part per PUT in
 * flight (4 × 8 MiB by default), so larger parts (the API has used 400 MiB) keep the
 * worker's streamed second read, which holds one 1 MiB buffer.
 */
export const ONE_READ_MAX_BYTES = 16 * 1024 * 1024;

/** Whether parts of this table are hashed from the read that sends them. */
export const hashesWhileSending = (table: PartTable): boolean =>
  table.partSize <= ONE_READ_MAX_BYTES;

/**
 * CRC-32C of every part not hashed yet, one part at a time through `hasher`
 * (a Web Worker in browsers), alongside the uploads. Results land in the
 * table, so a pause or retry keeps what was already hashed. `skip` leaves parts to
 * whoever hashes them otherwise (the PUT that reads them).
 */
export async function hashMissingParts(
  table: PartTable,
  file: Blob,
  fileName: string,
  hasher: PartHasher,
  signal: AbortSignal,
  skip?: (n: number) => boolean,
): Promise<void> {
  for (let n = 0; n < table.numParts; n++) {
    if (table.crcKnown[n] || skip?.(n)) continue;
    signal.throwIfAborted();
    const off = table.offset(n);
    try {
      table.crcs[n] = await hasher.hash(file.slice(off, off + table.length(n)), signal);
    } catch (e) {
      signal.throwIfAborted();
      if (e instanceof Error && e.name === 'NotReadableError') {
        throw new UploadError(
          'file_unreadable',
          `"${fileName}" could not be read for its checksum.`,
          { cause: e },
        );
      }
      // Anything else is the hasher's own failure (both kernels refused, a worker the page's
      // policy will not start): never a network error.
      if (e instanceof UploadError) throw e;
      if (isCrc32cUnavailableError(e)) throw toUploadError(e);
      const why = e instanceof Error ? e.message : String(e);
      throw new UploadError('checksum_unavailable', `the checksum could not be computed: ${why}`, {
        cause: e,
        resumable: false,
      });
    }
    table.crcKnown[n] = 1;
  }
}
