import type { Accounting, PartAccounting } from './types.js';

const MAX_AUTH_SAMPLES = 10;

function empty(): Accounting {
  return {
    initiates: 0,
    refreshes: 0,
    checkpoints: 0,
    checkpointedParts: 0,
    completes: 0,
    aborts: 0,
    putRequests: 0,
    putSuccesses: 0,
    bytesReceived: 0,
    bytesStored: 0,
    resentBytes: 0,
    wastedBytes: 0,
    storageAuthorizationHeaders: 0,
    storageAuthorizationSamples: [],
    storageCookieHeaders: 0,
    storageReferers: [],
    storagePreflightsRefused: 0,
    faultsInjected: { put5xx: 0, put429: 0, putDrop: 0, putCorrupt: 0, api5xx: 0, api429: 0 },
    parts: {},
  };
}

/** Mutable counters behind {@link Accounting}; `snapshot()` hands out deep copies. */
export class AccountingBook {
  #data: Accounting = empty();

  /** The live counters (mutate through the helpers below where one exists). */
  get data(): Accounting {
    return this.#data;
  }

  reset(): void {
    this.#data = empty();
  }

  /** A deep copy safe to hand to callers. */
  snapshot(): Accounting {
    return structuredClone(this.#data);
  }

  /**
   * The counters without the per-part map, which holds an entry per part ever PUT (32,000 in
   * a 250 GiB upload): cheap enough to poll every second.
   */
  totals(): Accounting {
    const { parts: _parts, ...rest } = this.#data;
    return { ...structuredClone(rest), parts: {} };
  }

  /** Per-part counters, created on first use. */
  part(uploadId: string, partNumber: number): PartAccounting {
    let byPart = this.#data.parts[uploadId];
    if (!byPart) {
      byPart = {};
      this.#data.parts[uploadId] = byPart;
    }
    let entry = byPart[partNumber];
    if (!entry) {
      entry = { puts: 0, successes: 0, ended: 0, bytesReceived: 0 };
      byPart[partNumber] = entry;
    }
    return entry;
  }

  /** Notes what a storage request told about the page: cookies, and the referrer (distinct, first 10). */
  storageRequestContext(cookie: string | undefined, referer: string | undefined): void {
    if (cookie !== undefined) this.#data.storageCookieHeaders++;
    const seen = this.#data.storageReferers;
    if (referer !== undefined && seen.length < MAX_AUTH_SAMPLES && !seen.includes(referer))
      seen.push(referer);
  }

  /** Counts a storage request that carried an Authorization header. */
  storageAuthorization(value: string): void {
    this.#data.storageAuthorizationHeaders++;
    if (this.#data.storageAuthorizationSamples.length < MAX_AUTH_SAMPLES) {
      this.#data.storageAuthorizationSamples.push(value);
    }
  }

  /** Body bytes of a PUT that arrived (successful or not). */
  received(bytes: number, part: PartAccounting | undefined): void {
    this.#data.bytesReceived += bytes;
    if (part) part.bytesReceived += bytes;
  }

  /** A PUT that stored `bytes`. */
  stored(bytes: number, resent: boolean, part: PartAccounting | undefined): void {
    this.#data.putSuccesses++;
    this.#data.bytesStored += bytes;
    if (resent) this.#data.resentBytes += bytes;
    if (part) part.successes++;
  }

  /** A PUT attempt that failed after `bytes` of its body arrived. */
  wasted(bytes: number): void {
    this.#data.wastedBytes += bytes;
  }
}
