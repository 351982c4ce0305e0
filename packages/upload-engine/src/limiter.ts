/**
 * A FIFO counting semaphore. One instance is shared by every upload of a queue
 * so that all files together respect one global bound on in-flight part PUTs.
 */
export class ConcurrencyLimiter {
  #limit: number;
  #active = 0;
  readonly #waiters: Array<{ grant: () => void }> = [];
  readonly #listeners = new Set<() => void>();

  constructor(limit: number) {
    this.#limit = ConcurrencyLimiter.#check(limit);
  }

  static #check(limit: number): number {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
    return limit;
  }

  get limit(): number {
    return this.#limit;
  }

  /** Changes the bound; extra waiters start at once when it grows. */
  setLimit(limit: number): void {
    this.#limit = ConcurrencyLimiter.#check(limit);
    this.#drain();
    for (const fn of this.#listeners) fn();
  }

  /** A part of `bytes` was stored (for a limiter that tunes itself; nothing here). */
  partStored(_bytes: number, _now: number): void {}

  /** Storage answered 429 or 5xx: too many requests (for a limiter that tunes itself). */
  overloaded(): void {}

  /** Calls `fn` after every `setLimit` (uploads use it to add workers); returns the unsubscribe. */
  onLimitChange(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Waits for a slot; returns the function that gives it back (idempotent). */
  acquire(signal?: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          this.#active++;
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            this.#active--;
            this.#drain();
          });
        },
      };
      const onAbort = () => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
      this.#drain();
    });
  }

  #drain(): void {
    while (this.#active < this.#limit && this.#waiters.length > 0) this.#waiters.shift()!.grant();
  }
}

/** Bounds of `concurrency: 'auto'`: browsers open about 6 connections per host. */
export const AUTO_CONCURRENCY = { min: 2, max: 6, start: 4 } as const;

/**
 * A limiter that picks its own bound (`concurrency: 'auto'`) between 2 and 6 from the
 * measured throughput, by hill climbing: over each window (at least `windowMs` and twice
 * the bound in stored parts) it compares bytes stored per second with the window before;
 * a step that gained at least `gain` is followed by another in the same direction, one
 * that did not is undone and the bound rests for `restWindows` windows before probing
 * again. A 429 or 5xx from storage takes one connection off at once and rests too.
 * Why not a fixed 6: on a link where each connection is capped (a latency-bound path,
 * per-connection shaping) more connections win, but on a saturated link or a busy
 * machine they only add contention, and a throttling store asks for fewer.
 */
export class AdaptiveLimiter extends ConcurrencyLimiter {
  readonly #windowMs: number;
  readonly #gain: number;
  readonly #restWindows: number;
  #windowStart = Number.NaN;
  #windowBytes = 0;
  #windowParts = 0;
  #lastRate = Number.NaN;
  #direction = 1;
  #rest = 0;

  constructor(options: { windowMs?: number; gain?: number; restWindows?: number } = {}) {
    super(AUTO_CONCURRENCY.start);
    this.#windowMs = options.windowMs ?? 3_000;
    this.#gain = options.gain ?? 0.08;
    this.#restWindows = options.restWindows ?? 5;
  }

  override partStored(bytes: number, now: number): void {
    if (Number.isNaN(this.#windowStart)) {
      // The first part of a run opens the first window (initiate and slow start excluded).
      this.#windowStart = now;
      return;
    }
    this.#windowBytes += bytes;
    this.#windowParts++;
    const span = now - this.#windowStart;
    if (span < this.#windowMs || this.#windowParts < 2 * this.limit) return;
    const rate = this.#windowBytes / span;
    this.#windowStart = now;
    this.#windowBytes = 0;
    this.#windowParts = 0;
    if (this.#rest > 0 && --this.#rest > 0) return;
    if (Number.isNaN(this.#lastRate) || rate >= this.#lastRate * (1 + this.#gain)) {
      // A probe from rest, or the last step paid: (go on) the same way.
      this.#lastRate = rate;
      this.#step(this.#direction);
      return;
    }
    // The last step did not pay: undo it, rest, and probe the other way next time.
    const back = -this.#direction;
    this.#step(back);
    this.#direction = back;
    this.#rest = this.#restWindows;
    this.#lastRate = Number.NaN;
  }

  override overloaded(): void {
    this.#step(-1);
    this.#direction = -1;
    this.#rest = this.#restWindows;
    this.#lastRate = Number.NaN;
  }

  /** Moves the bound one step within the bounds; a step that cannot be taken turns back. */
  #step(direction: number): void {
    const next = this.limit + direction;
    if (next < AUTO_CONCURRENCY.min || next > AUTO_CONCURRENCY.max) {
      this.#direction = -direction;
      return;
    }
    this.setLimit(next);
    this.#windowStart = Number.NaN;
  }
}

/** The limiter for a `concurrency` option: a fixed bound, or `'auto'`. */
export function createLimiter(concurrency: number | 'auto' = 4): ConcurrencyLimiter {
  return concurrency === 'auto' ? new AdaptiveLimiter() : new ConcurrencyLimiter(concurrency);
}
