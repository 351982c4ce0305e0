import { crc32cCombine, isCrc32cUnavailableError } from '@atai-upload/crc32c';
import { toUploadError, UploadError } from './errors.js';
import type { PartHasher } from './part-hasher.js';
import type { PartTable } from './part-table.js';

/** How often (in parts) the hashed prefix is handed to `onPrefix` to be persisted. */
export const PREFIX_PERSIST_EVERY = 64;

/**
 * CRC-32C of every part after the table's hashed prefix, in order, one part at a time
 * through `hasher` (a Web Worker in browsers), alongside the uploads. Each CRC is folded into
 * the prefix at once, so a pause or retry keeps what was hashed; every
 * {@link PREFIX_PERSIST_EVERY} parts (512 MiB of 8 MiB parts) and at the end, `onPrefix`
 * gets the prefix to keep with the resume record: a reload then re-reads at most that many.
 */
export async function hashMissingParts(
  table: PartTable,
  file: Blob,
  fileName: string,
  hasher: PartHasher,
  signal: AbortSignal,
  onPrefix?: (parts: number, crc: number) => void,
): Promise<void> {
  for (let n = table.hashedParts; n < table.numParts; n++) {
    signal.throwIfAborted();
    const off = table.offset(n);
    const length = table.length(n);
    let crc: number;
    try {
      crc = await hasher.hash(file.slice(off, off + length), signal);
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
    signal.throwIfAborted();
    table.hashedCrc = crc32cCombine(table.hashedCrc, crc, length);
    table.hashedParts = n + 1;
    if (table.hashedParts % PREFIX_PERSIST_EVERY === 0 || table.hashedParts === table.numParts)
      onPrefix?.(table.hashedParts, table.hashedCrc);
  }
}
