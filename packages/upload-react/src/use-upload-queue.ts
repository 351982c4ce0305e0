import {
  createUploadQueue,
  type StartOptions,
  toUploadError,
  type UploadController,
  type UploadError,
  type UploadQueue,
  type UploadQueueOptions,
} from '@atai-upload/engine';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useStore } from 'zustand';
import { forwardCallbacks } from './callbacks.js';
import { createQueueTotalsSource, type UploadQueueTotals } from './queue-totals.js';
import { releaseQueue } from './release.js';
import { useLatest } from './use-latest.js';
import { useReleaseOnUnmount } from './use-release-on-unmount.js';

/**
 * Options of {@link useUploadQueue}: the engine's {@link UploadQueueOptions} without
 * `queryClient` (taken from `QueryClientProvider`). Read on the first render, except the
 * `on…` callbacks and `keepUploadingOnUnmount`; change the budget with `setConcurrency`.
 */
export interface UseUploadQueueOptions extends Omit<UploadQueueOptions, 'queryClient'> {
  /**
   * On mount, list every unfinished upload this browser knows (the recovery shelf) as an
   * `interrupted` upload (see `queue.restore()`). Default true.
   */
  restore?: boolean;
  /**
   * Keep uploading after the component unmounts. Default `false`: every upload is paused
   * and disposed (resume records survive, so the same files resume when added again).
   */
  keepUploadingOnUnmount?: boolean;
}

/** A file `add` did not start, and why. */
export interface RejectedFile {
  file: File;
  /** An input error: `empty_file`, `file_too_large`, … (see `UploadError.advice`). */
  error: UploadError;
}

/** Options of `add`: per-start options, plus the files' handles where the page has them. */
export interface AddFilesOptions extends Omit<StartOptions, 'handle'> {
  /**
   * `handles[i]` is `files[i]`'s `FileSystemFileHandle` (what `DropZone` passes as the second
   * argument of `onFiles`): kept with the resume record for one-click resume after a reload.
   */
  handles?: ReadonlyArray<FileSystemFileHandle | undefined>;
}

/** What `add` did with each file. */
export interface AddFilesResult {
  /** Controllers of the files that started, in input order. */
  added: UploadController[];
  /** Files refused before any request, each with its typed error. */
  rejected: RejectedFile[];
}

/** What {@link useUploadQueue} returns. Functions keep their identity for the component's life. */
export interface UseUploadQueueResult {
  /** The engine queue, e.g. for `queue.limiter` or `useMultipartUpload({ queue })`. */
  queue: UploadQueue;
  /** Every upload, in the order added; pass one to `useUploadSelector` in a row component. */
  uploads: readonly UploadController[];
  /** Figures summed over all uploads; recomputed on their (throttled) progress updates. */
  totals: UploadQueueTotals;
  /**
   * Starts each file. Bad input does not fail the batch: each refused file is reported in
   * `rejected` with its `UploadError`, and the other files start.
   */
  add(files: FileList | readonly File[], options?: AddFilesOptions): Promise<AddFilesResult>;
  /**
   * The uploads `restore` listed from this browser's records (interrupted by a reload or a
   * closed tab), in the order found; they stay here as they resume, so a shelf UI can keep
   * them in place.
   */
  restored: readonly UploadController[];
  /** Pauses every running upload. */
  pauseAll(): void;
  /** Resumes every paused upload. */
  resumeAll(): void;
  /** Cancels every upload (aborting each on the server). */
  cancelAll(): Promise<void>;
  /** Removes an upload from the list, cancelling it first when it runs. */
  remove(id: string): Promise<void>;
  /** Changes the number of part PUTs in flight across all files (a positive integer). */
  setConcurrency(concurrency: number): void;
}

/**
 * Subscribes to the totals of a queue. Use it in a summary component so the queue's
 * owner need not re-render on progress; the result keeps its identity until a figure changes.
 *
 * @param queue - The queue, e.g. `useUploadQueue().queue`.
 */
export function useUploadQueueTotals(queue: UploadQueue): UploadQueueTotals {
  // Were React to drop this memo, the new source only recomputes once: no render loop.
  const source = useMemo(() => createQueueTotalsSource(queue), [queue]);
  return useSyncExternalStore(source.subscribe, source.getSnapshot, source.getSnapshot);
}

/**
 * Uploads many files that share one budget of part PUTs in flight.
 *
 * One `createUploadQueue` per component instance, its mutations in the app's `QueryClient`
 * (a `QueryClientProvider` must be above). The component re-renders when the list changes
 * and when `totals` change; per-file rows should read their upload with `useUploadSelector`.
 * On unmount the queue's uploads are paused and disposed, deferred like
 * `useMultipartUpload`'s so StrictMode's simulated unmount pauses nothing.
 *
 * @param options - Options shared by every upload (only `api` is required) and the global `concurrency` (default 4).
 */
export function useUploadQueue(options: UseUploadQueueOptions): UseUploadQueueResult {
  const queryClient = useQueryClient();
  const latest = useLatest(options);
  const [queue] = useState(() => {
    const { keepUploadingOnUnmount: _keep, restore: _restore, ...engine } = options;
    return createUploadQueue({ ...engine, ...forwardCallbacks(latest), queryClient });
  });
  useReleaseOnUnmount(queue, (q) =>
    releaseQueue(q, latest.current.keepUploadingOnUnmount === true),
  );
  const uploads = useStore(queue.store, (s) => s.uploads);
  const [restored, setRestored] = useState<readonly UploadController[]>([]);
  const restoreOnMount = options.restore !== false;
  useEffect(() => {
    if (!restoreOnMount) return;
    // The queue lists each record once however often this runs (StrictMode runs it twice, and
    // the first run's answer must still count: the second one finds nothing new).
    void queue.restore().then((added) => {
      if (added.length > 0) setRestored((r) => [...r, ...added]);
    });
  }, [queue, restoreOnMount]);
  const totals = useUploadQueueTotals(queue);
  const actions = useMemo(
    () => ({
      add: async (files: FileList | readonly File[], addOptions: AddFilesOptions = {}) => {
        const { handles, ...startOptions } = addOptions;
        const result: AddFilesResult = { added: [], rejected: [] };
        // In order, so the list shows files as they were chosen.
        for (const [i, file] of Array.from(files).entries()) {
          const handle = handles?.[i];
          try {
            result.added.push(
              await queue.add(file, handle ? { ...startOptions, handle } : startOptions),
            );
          } catch (e) {
            result.rejected.push({ file, error: toUploadError(e) });
          }
        }
        return result;
      },
      pauseAll: () => queue.pauseAll(),
      resumeAll: () => queue.resumeAll(),
      cancelAll: () => queue.cancelAll(),
      remove: (id: string) => queue.remove(id),
      setConcurrency: (concurrency: number) => queue.setConcurrency(concurrency),
    }),
    [queue],
  );
  return { queue, uploads, totals, restored, ...actions };
}
