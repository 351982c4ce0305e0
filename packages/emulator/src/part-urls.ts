import type { EmulatorContext } from './context.js';
import type { Upload } from './store.js';

/** One entry of `parts` in initiate and refresh responses. */
export interface PartUrlEntry {
  part_number: number;
  url: string;
  offset: number;
  length: number;
  expires_at: string;
}

/** Byte range of a part: all parts are full length except the last. */
export function partRange(upload: Upload, partNumber: number): { offset: number; length: number } {
  const { partSize, numBytes, numParts } = upload.meta;
  const offset = partNumber * partSize;
  const length = partNumber === numParts - 1 ? numBytes - offset : partSize;
  return { offset, length };
}

/**
 * Issues presigned URLs for one request through the storage backend. Expiry is computed
 * once so a 32,000-part initiate does one signature per part and nothing else per part.
 */
export class UrlIssuer {
  readonly #ctx: EmulatorContext;
  readonly #upload: Upload;
  readonly #nowMs = Date.now();
  readonly #expires: number;
  readonly #expiresAt: string;

  constructor(ctx: EmulatorContext, upload: Upload) {
    this.#ctx = ctx;
    this.#upload = upload;
    this.#expires = Math.floor(this.#nowMs / 1000) + ctx.faults.current.urlTtlSeconds;
    this.#expiresAt = new Date(this.#expires * 1000).toISOString();
  }

  /**
   * Entries for these parts, one after the other: presigning is CPU work, and 32,000
   * signatures started at once only queue up behind each other (slower than in turn).
   */
  async entries(partNumbers: Iterable<number>, reuse: boolean): Promise<PartUrlEntry[]> {
    const out: PartUrlEntry[] = [];
    for (const n of partNumbers) out.push(await this.entry(n, reuse));
    return out;
  }

  /**
   * The entry for a part. With `reuse`, a previously issued URL that still has
   * more than half its lifetime left is returned again instead of a new one.
   */
  async entry(partNumber: number, reuse: boolean): Promise<PartUrlEntry> {
    const { offset, length } = partRange(this.#upload, partNumber);
    const previous = reuse ? this.#upload.issued.get(partNumber) : undefined;
    if (previous) {
      const expiresMs = previous.expires * 1000;
      const lifetime = expiresMs - previous.issuedAtMs;
      if (expiresMs - this.#nowMs > lifetime / 2) {
        return {
          part_number: partNumber,
          url: previous.url,
          offset,
          length,
          expires_at: new Date(expiresMs).toISOString(),
        };
      }
    }
    const first = !this.#upload.issued.has(partNumber);
    const dead = first && this.#ctx.faults.current.staleFirstLinks;
    const url = await this.#ctx.storage.partUrl(this.#upload, partNumber, this.#expires, dead);
    this.#upload.issued.set(partNumber, { url, expires: this.#expires, issuedAtMs: this.#nowMs });
    return { part_number: partNumber, url, offset, length, expires_at: this.#expiresAt };
  }
}
