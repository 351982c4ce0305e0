import type { PartToken } from '@atai-upload/api-client';

/** What the checkpointer needs from its upload. */
export interface CheckpointerDeps {
  /** Token of an uploaded part, or undefined if the part is no longer uploaded. */
  tokenOf(partNumber: number): string | undefined;
  /** Sends one checkpoint request (with its own retries); rejects on final failure. */
  send(parts: PartToken[]): Promise<void>;
  /** The server stored these tokens. */
  onAcknowledged(partNumbers: number[]): void;
  /** A batch could not be checkpointed; its tokens stay for `complete`. */
  onFailed(partNumbers: number[], error: unknown): void;
  batchSize: number;
  intervalMs: number;
}

/** Largest checkpoint request; bounds request size when a backlog built up. */
const MAX_PARTS_PER_REQUEST = 500;

/**
 * Batches uploaded part tokens into checkpoint requests: one goes out when
 * `batchSize` tokens wait or the oldest has waited `intervalMs`, whichever
 * comes first. One request at a time, so acknowledgements arrive in order and a
 * crash loses at most one batch (the rest is on the server, or in the local
 * resume record).
 */
export class Checkpointer {
  readonly #deps: CheckpointerDeps;
  #queue: number[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight: Promise<void> | undefined;
  #stopped = false;

  constructor(deps: CheckpointerDeps) {
    this.#deps = deps;
  }

  add(partNumber: number): void {
    if (this.#stopped) return;
    this.#queue.push(partNumber);
    if (this.#queue.length >= this.#deps.batchSize) {
      void this.flush();
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        void this.flush();
      }, this.#deps.intervalMs);
    }
  }

  /** Sends everything waiting now (after the request in flight, if any). */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#inFlight) await this.#inFlight;
    if (this.#queue.length === 0 || this.#stopped) return;
    const batch = this.#queue.splice(0, MAX_PARTS_PER_REQUEST);
    const parts: PartToken[] = [];
    const numbers: number[] = [];
    for (const n of batch) {
      const token = this.#deps.tokenOf(n);
      if (token !== undefined) {
        parts.push({ part_number: n, part_token: token });
        numbers.push(n);
      }
    }
    if (parts.length === 0) return;
    this.#inFlight = this.#deps
      .send(parts)
      .then(
        () => this.#deps.onAcknowledged(numbers),
        (error: unknown) => this.#deps.onFailed(numbers, error),
      )
      .finally(() => {
        this.#inFlight = undefined;
      });
    await this.#inFlight;
    if (this.#queue.length >= this.#deps.batchSize) await this.flush();
  }

  /** Waits for the request in flight, without sending more. */
  async idle(): Promise<void> {
    while (this.#inFlight) await this.#inFlight;
  }

  /** Stops timers and forgets the queue (pause, cancel, complete). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#stopped = true;
    this.#queue = [];
  }
}
