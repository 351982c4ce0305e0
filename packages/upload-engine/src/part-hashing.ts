import { isCrc32cUnavailableError } from '@atai-upload/crc32c';
import { toUploadError, UploadError } from './errors.js';
import type { PartHasher } from './part-hasher.js';
import type { PartTable } from './part-table.js';

/**
 * CRC-32C of every part not hashed yet, one part at a time through `hasher`
 * (a Web Worker in browsers), alongside the uploads. Results land in the
 * table, so a pause or retry keeps what was already hashed.
 */
export async function hashMissingParts(
  table: PartTable,
  file: Blob,
  fileName: string,
  hasher: PartHasher,
  signal: AbortSignal,
): Promise<void> {
  for (let n = 0; n < table.numParts; n++) {
    if (table.crcKnown[n]) continue;
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
