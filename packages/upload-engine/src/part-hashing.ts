import { crc32cCombine, isCrc32cUnavailableError } from '@atai-upload/crc32c';
import { toUploadError, UploadError } from './errors.js';
import type { PartHasher } from './part-hasher.js';
import type { PartTable } from './part-table.js';

/** How often (in parts) the hashed prefix is handed to `onPrefix` to be persisted. */
export const PREFIX_PERSIST_EVERY = 64;

/**
 * CRC-32C of every part after the table's hashed prefix, in order, through `hasher` (a Web
 * Worker in browsers), alongside the uploads: from one read of the rest of the file where the
 * hasher can (`hashParts`), else one part at a time. Each CRC is folded into the prefix at
 * once, so a pause or retry keeps what was hashed; every {@link PREFIX_PERSIST_EVERY} parts
 * (512 MiB of 8 MiB parts) and at the end, `onPrefix` gets the prefix to keep with the resume
 * record: a reload then re-reads at most that many.
 */
export async function hashMissingParts(
  table: PartTable,
  file: Blob,
  fileName: string,
  hasher: PartHasher,
  signal: AbortSignal,
  onPrefix?: (parts: number, crc: number) => void,
): Promise<void> {
  const fold = (n: number, crc: number, length: number) => {
    table.hashedCrc = crc32cCombine(table.hashedCrc, crc, length);
    table.hashedParts = n + 1;
    if (table.hashedParts % PREFIX_PERSIST_EVERY === 0 || table.hashedParts === table.numParts)
      onPrefix?.(table.hashedParts, table.hashedCrc);
  };
  const from = table.hashedParts;
  if (from >= table.numParts) return;
  signal.throwIfAborted();
  if (hasher.hashParts) {
    try {
      await hasher.hashParts(
        file.slice(table.offset(from), table.totalBytes),
        table.partSize,
        (i, crc, length) => {
          // Parts come in order; one that does not fit the table means the read went wrong.
          const n = from + i;
          if (n !== table.hashedParts || length !== table.length(n))
            throw new Error(`part ${n + 1} came out of order or ${length} bytes long`);
          if (!signal.aborted) fold(n, crc, length);
        },
        signal,
      );
    } catch (e) {
      throw hashFailure(e, fileName, signal);
    }
    signal.throwIfAborted();
    if (table.hashedParts !== table.numParts)
      throw hashFailure(
        new Error(`the file ended after ${table.hashedParts} of ${table.numParts} parts`),
        fileName,
        signal,
      );
    return;
  }
  for (let n = from; n < table.numParts; n++) {
    signal.throwIfAborted();
    const off = table.offset(n);
    const length = table.length(n);
    let crc: number;
    try {
      crc = await hasher.hash(file.slice(off, off + length), signal);
    } catch (e) {
      throw hashFailure(e, fileName, signal);
    }
    signal.throwIfAborted();
    fold(n, crc, length);
  }
}

/** What a failed hash becomes: the abort itself, an unreadable file, or no checksum. */
function hashFailure(e: unknown, fileName: string, signal: AbortSignal): unknown {
  signal.throwIfAborted();
  if (e instanceof Error && e.name === 'NotReadableError') {
    return new UploadError('file_unreadable', `"${fileName}" could not be read for its checksum.`, {
      cause: e,
    });
  }
  // Anything else is the hasher's own failure (both kernels refused, a worker the page's
  // policy will not start): never a network error.
  if (e instanceof UploadError) return e;
  if (isCrc32cUnavailableError(e)) return toUploadError(e);
  const why = e instanceof Error ? e.message : String(e);
  return new UploadError('checksum_unavailable', `the checksum could not be computed: ${why}`, {
    cause: e,
    resumable: false,
  });
}
