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
