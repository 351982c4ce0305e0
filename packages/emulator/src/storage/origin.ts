import type { Readable } from 'node:stream';
import { crc32cCombineAll } from '@atai-upload/crc32c';
import type { UrlSigner } from '../signing.js';
import type { StoredFile, Upload } from '../store.js';
import type { StorageBackend } from './backend.js';

/**
 * The emulator's own storage origin: part PUTs arrive at storage-routes.ts, which computes
 * each part's ETag and CRC-32C as it streams and, with `local`, writes the bytes under the
 * data dir (`discard` keeps nothing). The whole-file CRC is combined from the per-part ones,
 * so complete never reads a byte back.
 */
export class OriginBackend implements StorageBackend {
  readonly kind: 'local' | 'discard';
  readonly ownOrigin = true;
  readonly #signer: UrlSigner;
  readonly #origin: () => string;

  constructor(kind: 'local' | 'discard', signer: UrlSigner, origin: () => string) {
    this.kind = kind;
    this.#signer = signer;
    this.#origin = origin;
  }

  get origin(): string {
    return this.#origin();
  }

  async open(): Promise<void> {}

  async begin(): Promise<undefined> {
    return undefined;
  }

  // `dead` links are refused by storage-routes.ts itself (it sees the PUTs).
  async partUrl(upload: Upload, partNumber: number, expires: number): Promise<string> {
    const id = upload.meta.uploadId;
    const signature = this.#signer.sign(id, partNumber, expires);
    return `${this.#origin()}/parts/${id}/${partNumber}?expires=${expires}&signature=${signature}`;
  }

  async syncParts(): Promise<void> {}

  async assemble(upload: Upload, _tokens: readonly string[], wantCrc: boolean) {
    if (!wantCrc) return undefined;
    const segments = [];
    for (let n = 0; n < upload.meta.numParts; n++) {
      const part = upload.parts.get(n);
      if (part?.crc32c === undefined) throw new Error(`part ${n} has no CRC-32C on record`);
      segments.push({ crc: part.crc32c, length: part.length });
    }
    return crc32cCombineAll(segments);
  }

  // A corrupt local file keeps its bytes, for inspection.
  async dropObject(): Promise<void> {}

  // The store deletes the parts directory itself.
  async abort(): Promise<void> {}

  // Local files are read by the API route from their part files; discarded bytes are gone.
  async read(_file: StoredFile): Promise<Readable | undefined> {
    return undefined;
  }

  async reset(): Promise<void> {}

  close(): void {}
}
