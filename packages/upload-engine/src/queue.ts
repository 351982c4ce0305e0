import { createStore, type StoreApi } from 'zustand/vanilla';
import { createUploadController, type UploadController } from './controller.js';
import { type ConcurrencyLimiter, createLimiter } from './limiter.js';
import type { StartOptions, UploadOptions } from './options.js';
import { defaultResumeStore, fileKey } from './resume-store.js';

/** Options of {@link createUploadQueue}: upload options shared by every file, plus the global budget. */
export interface UploadQueueOptions extends Omit<UploadOptions, 'limiter'> {
  /** Part PUTs in flight across ALL files of the queue. Default 4; `'auto'`: 2 to 6, measured. */
  concurrency?: number | 'auto';
}

/** The queue's store state: its uploads, in the order they were added. */
export interface UploadQueueState {
  uploads: readonly UploadController[];
}

/** Several uploads sharing one concurrency budget. */
export interface UploadQueue {
  readonly store: StoreApi<UploadQueueState>;
  readonly limiter: ConcurrencyLimiter;
  /**
   * The one way to put an upload in the queue: creates a controller on the queue's budget,
   * starts it, and lists it. Input errors reject (and list nothing), as in `start`. A file
   * that an `interrupted` upload of the queue is waiting for goes to that upload instead.
   */
  add(file: File, options?: StartOptions): Promise<UploadController>;
  /**
   * Lists every unfinished upload this browser knows (the recovery shelf) that the queue
   * does not list yet, each as an `interrupted` controller (or `elsewhere`, when another tab
   * is uploading it). Resolves with the controllers it added. Safe to call more than once.
   */
  restore(): Promise<UploadController[]>;
  get(id: string): UploadController | undefined;
  /** Removes a finished (or idle) upload from the list; cancels it first if it is running. */
  remove(id: string): Promise<void>;
  /** Changes the global bound at run time. */
  setConcurrency(concurrency: number): void;
  pauseAll(): void;
  resumeAll(): void;
  cancelAll(): Promise<void>;
  dispose(): void;
}

/** Creates a queue of uploads that share one global bound on in-flight part PUTs. */
export function createUploadQueue(options: UploadQueueOptions): UploadQueue {
  const { concurrency = 4, ...shared } = options;
  const limiter = createLimiter(concurrency);
  const store = createStore<UploadQueueState>()(() => ({ uploads: [] }));
  const list = () => store.getState().uploads;
  const records =
    shared.persist === false ? undefined : (shared.resumeStore ?? defaultResumeStore());
  const keyOf = (c: UploadController) => {
    const f = c.getSnapshot().file;
    return f ? fileKey(f) : undefined;
  };
  let restoring: Promise<UploadController[]> | undefined;
  const restore = async (): Promise<UploadController[]> => {
    if (!records) return [];
    await records.refresh();
    const listed = new Set(list().map(keyOf));
    const added: UploadController[] = [];
    for (const record of records.list()) {
      if (listed.has(record.key)) continue;
      const controller = createUploadController({ ...shared, resumeStore: records, limiter });
      await controller.recover(record);
      added.push(controller);
    }
    if (added.length > 0) store.setState({ uploads: [...list(), ...added] });
    return added;
  };
  return {
    store,
    limiter,
    restore() {
      // One at a time: React StrictMode (or two callers) must not list an upload twice.
      const next = (restoring ?? Promise.resolve([])).then(restore, restore);
      restoring = next;
      return next;
    },
    async add(file, startOptions) {
      const waiting = list().find((c) => {
        const s = c.getSnapshot();
        return (
          s.status === 'interrupted' &&
          s.file?.name === (startOptions?.name ?? file.name) &&
          s.file.size === file.size &&
          s.file.lastModified === file.lastModified
        );
      });
      if (waiting) {
        await waiting.start(file, startOptions);
        return waiting;
      }
      const controller = createUploadController({
        ...shared,
        ...(records ? { resumeStore: records } : {}),
        limiter,
      });
      try {
        await controller.start(file, startOptions);
      } catch (e) {
        controller.dispose();
        throw e;
      }
      store.setState({ uploads: [...list(), controller] });
      return controller;
    },
    get: (id) => list().find((c) => c.id === id),
    async remove(id) {
      const c = list().find((u) => u.id === id);
      if (!c) return;
      await c.cancel();
      c.dispose();
      store.setState({ uploads: list().filter((u) => u !== c) });
    },
    setConcurrency: (n) => limiter.setLimit(n),
    pauseAll: () => {
      for (const c of list()) c.pause();
    },
    resumeAll: () => {
      for (const c of list()) c.resume();
    },
    async cancelAll() {
      await Promise.all(list().map((c) => c.cancel()));
    },
    dispose() {
      for (const c of list()) c.dispose();
      store.setState({ uploads: [] });
    },
  };
}
