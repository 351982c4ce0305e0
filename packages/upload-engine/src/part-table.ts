import type { PresignedPart } from '@atai-upload/api-client';
import { PartState, type PartStateCode } from './part-state.js';

/**
 * Per-part bookkeeping in flat typed arrays: one byte of state, one URL, one
 * refresh deadline per part, and the running CRC-32C of the file's hashed prefix. Every
 * operation is O(1) per part, and a
 * 32,000-part upload costs well under a megabyte besides the URL strings.
 */
export class PartTable {
  readonly numParts: number;
  readonly partSize: number;
  readonly totalBytes: number;
  readonly states: Uint8Array;
  readonly tokens: Array<string | undefined>;
  readonly urls: Array<string | undefined>;
  /** Local time (ms) from which a URL counts as about to expire. */
  readonly refreshAt: Float64Array;
  /**
   * Parts are hashed in order, each CRC folded into the CRC-32C of the file's first
   * `hashedParts` parts at once: one number to persist, so a resumed upload (after a reload)
   * re-reads only the parts after it. Per-part CRCs were kept before, and were lost with the
   * page: a reload at half of 250 GiB meant reading the first 125 GiB again before complete.
   */
  hashedParts = 0;
  /** CRC-32C of bytes `[0, offset(hashedParts))`; 0 for none. */
  hashedCrc = 0;
  /** Count of parts per state code. */
  readonly counts = new Int32Array(5);
  /** Next candidate for {@link nextPending}: parts below it are never pending. */
  #cursor = 0;
  /** The last expiry string parsed: the parts of one answer mostly share it. */
  #expiry = { text: '', ms: Number.NaN };

  constructor(totalBytes: number, partSize: number) {
    this.totalBytes = totalBytes;
    this.partSize = partSize;
    this.numParts = Math.ceil(totalBytes / partSize);
    this.states = new Uint8Array(this.numParts);
    this.tokens = new Array(this.numParts);
    this.urls = new Array(this.numParts);
    this.refreshAt = new Float64Array(this.numParts);
    this.counts[PartState.pending] = this.numParts;
  }

  offset(n: number): number {
    return n * this.partSize;
  }

  length(n: number): number {
    return partLength(this.totalBytes, this.partSize, n);
  }

  state(n: number): PartStateCode {
    return this.states[n] as PartStateCode;
  }

  set(n: number, s: PartStateCode): void {
    const prev = this.states[n]!;
    if (prev === s) return;
    this.counts[prev]!--;
    this.counts[s]!++;
    this.states[n] = s;
    if ((s === PartState.pending || s === PartState.failed) && n < this.#cursor) this.#cursor = n;
  }

  /** Lowest-numbered part waiting to be sent (pending or failed), or -1. Amortised O(1). */
  nextPending(): number {
    while (this.#cursor < this.numParts) {
      const s = this.states[this.#cursor];
      if (s === PartState.pending || s === PartState.failed) return this.#cursor;
      this.#cursor++;
    }
    return -1;
  }

  /** Parts that are uploaded or checkpointed. */
  get done(): number {
    return this.counts[PartState.uploaded]! + this.counts[PartState.checkpointed]!;
  }

  /** Stores a presigned URL, due for refresh `margin` before expiry (capped at 25% of its lifetime). */
  setUrl(p: PresignedPart, now: number, marginMs: number): void {
    if (p.expires_at !== this.#expiry.text)
      this.#expiry = { text: p.expires_at, ms: Date.parse(p.expires_at) };
    const expires = this.#expiry.ms;
    const lifetime = Math.max(0, expires - now);
    this.urls[p.part_number] = p.url;
    this.refreshAt[p.part_number] = expires - Math.min(marginMs, lifetime / 4);
  }

  urlIsFresh(n: number, now: number): boolean {
    return this.urls[n] !== undefined && now < this.refreshAt[n]!;
  }

  /** Sends parts back to pending (e.g. after pause, for re-evaluation on resume). */
  resetUnconfirmed(): void {
    for (let n = 0; n < this.numParts; n++) {
      const s = this.states[n];
      if (s === PartState.uploading || s === PartState.failed) this.set(n, PartState.pending);
    }
  }
}

/**
 * Bytes in part `n` of a file of `fileSize` bytes cut into `partSize` parts: the last part is
 * shorter, and a part number past the end has none (a stored token may name one).
 */
export function partLength(fileSize: number, partSize: number, n: number): number {
  return Math.max(0, Math.min(partSize, fileSize - n * partSize));
}
