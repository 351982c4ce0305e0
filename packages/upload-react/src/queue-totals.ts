import {
  can,
  isActive,
  type UploadController,
  type UploadQueue,
  type UploadSnapshot,
} from '@atai-upload/engine';

/** Figures summed over every upload of a queue. */
export interface UploadQueueTotals {
  /** Uploads in the queue, whatever their status. */
  files: number;
  /** Uploads with network work going on (preparing, initiating, uploading, completing, aborting). */
  active: number;
  paused: number;
  /** Uploads the state table lets pause now (what "Pause all" would act on). */
  pausable: number;
  /** Uploads the state table lets resume now (what "Resume all" would act on). */
  resumable: number;
  completed: number;
  failed: number;
  aborted: number;
  /** Bytes uploaded over every upload that was not cancelled. */
  bytesUploaded: number;
  /** Size of every upload that was not cancelled. */
  bytesTotal: number;
  /** `bytesUploaded / bytesTotal`, 0 … 1 (0 while the queue is empty). */
  fraction: number;
  /** Sum of the smoothed speeds of the uploads that are uploading right now. */
  speedBps: number;
  /** Estimated time left in ms at `speedBps`; `undefined` while no speed is measured. */
  etaMs: number | undefined;
}

/** Totals of an empty queue. */
export const EMPTY_QUEUE_TOTALS: UploadQueueTotals = Object.freeze({
  files: 0,
  active: 0,
  paused: 0,
  pausable: 0,
  resumable: 0,
  completed: 0,
  failed: 0,
  aborted: 0,
  bytesUploaded: 0,
  bytesTotal: 0,
  fraction: 0,
  speedBps: 0,
  etaMs: undefined,
});

/** Sums per-upload snapshots into {@link UploadQueueTotals}. Pure. */
export function computeQueueTotals(snapshots: readonly UploadSnapshot[]): UploadQueueTotals {
  const t = { ...EMPTY_QUEUE_TOTALS, files: snapshots.length };
  for (const s of snapshots) {
    if (can(s.status, 'PAUSE')) t.pausable++;
    if (can(s.status, 'RESUME')) t.resumable++;
    if (isActive(s.status)) t.active++;
    else if (s.status === 'paused') t.paused++;
    else if (s.status === 'completed') t.completed++;
    else if (s.status === 'failed') t.failed++;
    else if (s.status === 'aborted') t.aborted++;
    // A cancelled file will never arrive: leaving its bytes in would cap the bar below 100%.
    if (s.status === 'aborted' || s.status === 'aborting' || !s.file) continue;
    t.bytesTotal += s.file.size;
    t.bytesUploaded += s.status === 'completed' ? s.file.size : s.progress.bytesUploaded;
    if (s.status === 'uploading') t.speedBps += s.progress.speedBps;
  }
  t.fraction = t.bytesTotal > 0 ? Math.min(1, t.bytesUploaded / t.bytesTotal) : 0;
  t.etaMs =
    t.speedBps > 0 ? Math.round(((t.bytesTotal - t.bytesUploaded) / t.speedBps) * 1000) : undefined;
  return t;
}

function sameTotals(a: UploadQueueTotals, b: UploadQueueTotals): boolean {
  for (const key of Object.keys(a) as (keyof UploadQueueTotals)[]) {
    if (!Object.is(a[key], b[key])) return false;
  }
  return true;
}

/** A `useSyncExternalStore` source over a queue and all of its uploads. */
export interface QueueTotalsSource {
  subscribe(onChange: () => void): () => void;
  getSnapshot(): UploadQueueTotals;
}

/**
 * Builds the external-store source behind `useUploadQueueTotals`.
 *
 * `getSnapshot` must return the same object until something changed, or React re-renders
 * forever. zustand states are immutable, so "nothing changed" is cheap to tell: the same
 * uploads array and the same snapshot object for each upload. Even when they changed
 * (say, only `partsVersion`), equal totals keep the previous object, so no re-render.
 *
 * @internal
 */
export function createQueueTotalsSource(queue: UploadQueue): QueueTotalsSource {
  let seenUploads: readonly UploadController[] | undefined;
  let seenSnapshots: UploadSnapshot[] = [];
  let totals = EMPTY_QUEUE_TOTALS;

  const getSnapshot = (): UploadQueueTotals => {
    const uploads = queue.store.getState().uploads;
    const snapshots = uploads.map((c) => c.store.getState());
    const unchanged =
      uploads === seenUploads &&
      snapshots.length === seenSnapshots.length &&
      snapshots.every((s, i) => s === seenSnapshots[i]);
    if (unchanged) return totals;
    seenUploads = uploads;
    seenSnapshots = snapshots;
    const next = computeQueueTotals(snapshots);
    if (!sameTotals(next, totals)) totals = next;
    return totals;
  };

  const subscribe = (onChange: () => void): (() => void) => {
    const perUpload = new Map<UploadController, () => void>();
    // Follow the list: subscribe to uploads as they are added, drop removed ones.
    const sync = () => {
      const current = new Set(queue.store.getState().uploads);
      for (const [c, unsubscribe] of perUpload) {
        if (!current.has(c)) {
          unsubscribe();
          perUpload.delete(c);
        }
      }
      for (const c of current) {
        if (!perUpload.has(c)) perUpload.set(c, c.store.subscribe(onChange));
      }
    };
    sync();
    const unsubscribeQueue = queue.store.subscribe(() => {
      sync();
      onChange();
    });
    return () => {
      unsubscribeQueue();
      for (const unsubscribe of perUpload.values()) unsubscribe();
      perUpload.clear();
    };
  };

  return { subscribe, getSnapshot };
}
