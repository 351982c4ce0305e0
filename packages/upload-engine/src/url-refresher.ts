import type { PresignedPart } from '@atai-upload/api-client';
import { UploadError } from './errors.js';
import { PartState } from './part-state.js';
import type { PartTable } from './part-table.js';

/** What the refresher needs from its upload. */
export interface UrlRefresherDeps {
  table: PartTable;
  /** Refresh a URL this long before it expires (capped at a quarter of its lifetime). */
  marginMs: number;
  /** Largest batch: enough for the parts about to start, not so many they expire unused. */
  batchLimit(): number;
  /** One refresh request (with the caller's retries). */
  request(partNumbers: number[], signal: AbortSignal): Promise<PresignedPart[]>;
  /** A refresh request started or ended. */
  onActivity(): void;
}

/**
 * Keeps presigned URLs fresh just in time: before a part starts, its URL is
 * refreshed if it is about to expire, together with the next pending parts
 * that are also due, in one request. Parts waiting on a refresh in flight
 * share it instead of asking again.
 */
export class UrlRefresher {
  readonly #deps: UrlRefresherDeps;
  readonly #pending = new Map<number, Promise<void>>();
  #active = 0;

  constructor(deps: UrlRefresherDeps) {
    this.#deps = deps;
  }

  /** A refresh request is in flight. */
  get busy(): boolean {
    return this.#active > 0;
  }

  /** Forces a refresh before the part's next use (after a 403). */
  invalidate(n: number): void {
    this.#deps.table.refreshAt[n] = 0;
  }

  /** The part's URL, refreshed first when it is about to expire. */
  async urlFor(n: number, signal: AbortSignal): Promise<string> {
    const table = this.#deps.table;
    while (!table.urlIsFresh(n, Date.now())) {
      const shared = this.#pending.get(n);
      if (shared) {
        await shared;
        continue;
      }
      const batch = this.#batch(n);
      const request = this.#refresh(batch, signal);
      for (const m of batch) this.#pending.set(m, request);
      try {
        await request;
      } finally {
        for (const m of batch) if (this.#pending.get(m) === request) this.#pending.delete(m);
      }
      if (!table.urlIsFresh(n, Date.now())) {
        // A URL that lives shorter than our margin: use it rather than refresh forever.
        if (table.urls[n] !== undefined) return table.urls[n]!;
        throw new UploadError('invalid_response', `The server returned no URL for part ${n}.`);
      }
    }
    return table.urls[n]!;
  }

  /** `n` plus the next pending parts whose URLs are also due, scanning a bounded window. */
  #batch(n: number): number[] {
    const table = this.#deps.table;
    const limit = this.#deps.batchLimit();
    const now = Date.now();
    const batch = [n];
    for (
      let m = table.nextPending(), scanned = 0;
      m >= 0 && m < table.numParts && batch.length < limit && scanned < limit * 4;
      m++, scanned++
    ) {
      if (
        m !== n &&
        table.state(m) === PartState.pending &&
        !table.urlIsFresh(m, now) &&
        !this.#pending.has(m)
      ) {
        batch.push(m);
      }
    }
    return batch;
  }

  async #refresh(batch: number[], signal: AbortSignal): Promise<void> {
    const table = this.#deps.table;
    this.#active++;
    this.#deps.onActivity();
    try {
      const parts = await this.#deps.request(batch, signal);
      const at = Date.now();
      for (const p of parts) {
        if (p.part_number < table.numParts) table.setUrl(p, at, this.#deps.marginMs);
      }
    } finally {
      this.#active--;
      this.#deps.onActivity();
    }
  }
}
