import type { StoreApi } from 'zustand/vanilla';
import { PartState } from './part-state.js';
import type { PartTable } from './part-table.js';
import type { ProgressTracker } from './progress.js';
import type { UploadProgress, UploadSnapshot } from './types.js';

/** What the publisher reads from the upload each time it publishes. */
export interface PublishedView {
  readonly progress: ProgressTracker;
  readonly table: PartTable | undefined;
  readonly refreshingUrls: boolean;
}

/**
 * Writes the upload's snapshot to its store. Part events only mark it dirty, and one
 * publish follows within `intervalMs`, so a 32,000-part upload costs a few store updates
 * per second however fast parts move; a status change publishes at once.
 */
export class Publisher {
  /** Parts waiting in a backoff right now. */
  retrying = 0;
  #partsVersion = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #store: StoreApi<UploadSnapshot>;
  readonly #intervalMs: number;
  readonly #view: () => PublishedView;
  readonly #onProgress: ((progress: UploadProgress) => void) | undefined;

  constructor(
    store: StoreApi<UploadSnapshot>,
    intervalMs: number,
    view: () => PublishedView,
    onProgress?: (progress: UploadProgress) => void,
  ) {
    this.#store = store;
    this.#intervalMs = intervalMs;
    this.#view = view;
    this.#onProgress = onProgress;
  }

  /** Publishes now: the derived figures, then `patch` on top. */
  publish(patch: Partial<UploadSnapshot> = {}): void {
    this.cancel();
    const view = this.#view();
    const progress = view.progress.snapshot(Date.now(), view.table?.done ?? 0);
    this.#store.setState({
      progress,
      partsVersion: this.#partsVersion,
      retryingParts: this.retrying,
      refreshingUrls: view.refreshingUrls,
      uncheckpointedParts: view.table?.counts[PartState.uploaded] ?? 0,
      ...patch,
    });
    this.#onProgress?.(progress);
  }

  /** Some part changed state: the next publish carries a new `partsVersion`. */
  partsChanged(): void {
    this.#partsVersion++;
  }

  /** Something changed: publish within the interval (throttled). */
  dirty(partsChanged = false): void {
    if (partsChanged) this.#partsVersion++;
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.publish();
    }, this.#intervalMs);
  }

  /** Drops a pending throttled publish. */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/** Resolves with the first snapshot (the current one included) whose status passes `done`. */
export function whenStatus(
  store: StoreApi<UploadSnapshot>,
  done: (status: UploadSnapshot['status']) => boolean,
): Promise<UploadSnapshot> {
  return new Promise((resolve) => {
    const now = store.getState();
    if (done(now.status)) {
      resolve(now);
      return;
    }
    const unsubscribe = store.subscribe((s) => {
      if (!done(s.status)) return;
      unsubscribe();
      resolve(s);
    });
  });
}
