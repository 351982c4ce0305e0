import {
  DOCUMENTED_FILE_TYPES,
  type FilesApiClient,
  type FileTypeRule,
  type PartUploader,
} from '@atai-upload/api-client';
import type { QueryClient } from '@tanstack/query-core';
import type { UploadError } from './errors.js';
import type { ConcurrencyLimiter } from './limiter.js';
import type { PartHasher } from './part-hasher.js';
import type { ResumeStore } from './resume-store.js';
import { DEFAULT_RETRY, type RetryPolicy } from './timing.js';
import type { UploadProgress, UploadSnapshot } from './types.js';

/** Largest file the Files API accepts: 250 GB (250 GiB, 32,000 parts of 8 MiB). */
export const MAX_FILE_BYTES = 250 * 1024 ** 3;

/** Options of an upload controller. Only `api` is required. */
export interface UploadOptions {
  /** The Files API client (see `createFilesApiClient`). */
  api: FilesApiClient;
  /** PUTs parts to storage. Default: `createPartUploader()`. */
  partUploader?: PartUploader;
  /**
   * Every API step runs as a mutation of this client, so it appears in the app's
   * mutation cache and devtools. Default: a private `QueryClient`.
   */
  queryClient?: QueryClient;
  /**
   * Part PUTs in flight for this upload. Default 4. Ignored when `limiter` is given.
   * `'auto'` (opt-in): between 2 and 6, chosen from the measured throughput, one fewer on
   * a 429 or 5xx from storage (see `AdaptiveLimiter` in limiter.ts).
   */
  concurrency?: number | 'auto';
  /** A limiter shared with other uploads (what `createUploadQueue` passes). */
  limiter?: ConcurrencyLimiter;
  /** Backoff for transient errors. Default `{ maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30000 }`. */
  retry?: Partial<RetryPolicy>;
  /** Checkpoint when this many part tokens are waiting. Default 8. */
  checkpointBatchSize?: number;
  /** …or when the oldest waiting token is this old (ms). Default 5000. */
  checkpointIntervalMs?: number;
  /**
   * Refresh a URL this long (ms) before its `expires_at`, capped at a quarter of the
   * URL's lifetime so short-lived URLs are not refreshed forever. Default 60 000.
   */
  urlRefreshMarginMs?: number;
  /**
   * Resume behaviour. `'auto'` (default): send `resume_if_started` when this browser
   * has a record of the file; `'always'`: always send it; `'never'`: never.
   */
  resume?: 'auto' | 'always' | 'never';
  /** Keep resume records (upload id, unconfirmed tokens) across reloads. Default true. */
  persist?: boolean;
  /**
   * Where resume records live. Default: one store per page in IndexedDB (memory where there
   * is none), which also migrates records of the older `localStorage` format once.
   */
  resumeStore?: ResumeStore;
  /**
   * The Web Locks that keep one tab per file (default `navigator.locks`). `null` turns the
   * one-tab-per-file rule off: two tabs given the same file would both upload it.
   */
  locks?: LockManager | null;
  /**
   * Ask the browser to keep the site's storage (`navigator.storage.persist()`) when a file
   * at least this large starts, so its resume record survives storage pressure. Default
   * 1 GiB; `0` always, `Infinity` never. The answer is the snapshot's `storagePersisted`.
   */
  persistStorageAbove?: number;
  /**
   * Keep the screen awake while the upload runs (Screen Wake Lock): a laptop that sleeps
   * drops the connection. Released on pause, failure and completion; the browser also
   * releases it while the page is hidden, and it is taken again when the page is shown.
   * Default false.
   */
  keepAwake?: boolean;
  /** Ask before the page is closed or reloaded while an upload runs (`beforeunload`). Default false. */
  warnBeforeUnload?: boolean;
  /**
   * The whole-file CRC-32C, when the server offers it. `'preferred'` (default, also `true`):
   * computed and sent; if it cannot be computed (a page policy that forbids both kernels, a
   * worker that cannot start), the upload goes on without it and the snapshot says
   * `checksum: 'unavailable'`. `'required'`: that failure fails the upload
   * (`checksum_unavailable`). `'off'` (also `false`): never computed.
   */
  integrity?: IntegrityMode | boolean;
  /** How part CRCs are computed. Default: a Web Worker in browsers, inline in Node. */
  partHasher?: PartHasher;
  /**
   * The file types the API takes. A file's type is its browser type when listed, else the
   * one its extension names; anything else is refused by `start()` before any request
   * (`unsupported_file_type`). Default: `DOCUMENTED_FILE_TYPES`, the reference's list.
   */
  fileTypes?: readonly FileTypeRule[];
  /** Least time between progress notifications (ms). Default 100 (≤ 10 per second). */
  progressIntervalMs?: number;
  /** Pause on the browser's `offline` event and resume on `online`. Default true. */
  pauseWhenOffline?: boolean;
  /** Progress, throttled to `progressIntervalMs`. */
  onProgress?: (progress: UploadProgress) => void;
  /** A part was stored (its ETag is known). */
  onPartComplete?: (part: { partNumber: number; etag: string; length: number }) => void;
  onStatusChange?: (snapshot: UploadSnapshot) => void;
  onSuccess?: (snapshot: UploadSnapshot) => void;
  onError?: (error: UploadError, snapshot: UploadSnapshot) => void;
  /**
   * The API refused the credentials even after `getAccessToken` was asked for fresh ones:
   * the upload is paused (`pauseReason: 'auth'`) with everything kept. Sign the user in
   * again, then call `resume()`.
   */
  onAuthRequired?: (error: UploadError, snapshot: UploadSnapshot) => void;
  /** Problems that did not stop the upload (a failed checkpoint, a failed best-effort abort). */
  onWarning?: (message: string, cause?: unknown) => void;
}

/** Whether the whole-file checksum is computed, and whether the upload may go on without it. */
export type IntegrityMode = 'required' | 'preferred' | 'off';

/** Per-start overrides. */
export interface StartOptions {
  /** Upload under this name instead of `file.name`. */
  name?: string;
  /** MIME type to send instead of the one derived from the file (it must be an accepted one). */
  type?: string;
  /**
   * The file's `FileSystemFileHandle`, when the page has one (`showOpenFilePicker()`, or
   * `DataTransferItem.getAsFileSystemHandle()` on drop; Chromium): kept with the resume
   * record so that after a reload `resume()` reopens the file without a pick.
   */
  handle?: FileSystemFileHandle;
}

/** The options every effect reads, with their defaults applied once. */
export interface Settings {
  readonly retry: RetryPolicy;
  readonly checkpointBatchSize: number;
  readonly checkpointIntervalMs: number;
  readonly urlRefreshMarginMs: number;
  readonly resume: 'auto' | 'always' | 'never';
  readonly integrity: IntegrityMode;
  readonly fileTypes: readonly FileTypeRule[];
  readonly progressIntervalMs: number;
  readonly persistStorageAbove: number;
}

/** Applies the documented defaults. */
export function resolveSettings(options: UploadOptions): Settings {
  return {
    retry: { ...DEFAULT_RETRY, ...options.retry },
    checkpointBatchSize: Math.max(1, options.checkpointBatchSize ?? 8),
    checkpointIntervalMs: options.checkpointIntervalMs ?? 5_000,
    urlRefreshMarginMs: options.urlRefreshMarginMs ?? 60_000,
    resume: options.resume ?? 'auto',
    integrity:
      options.integrity === true || options.integrity === undefined
        ? 'preferred'
        : options.integrity === false
          ? 'off'
          : options.integrity,
    fileTypes: options.fileTypes ?? DOCUMENTED_FILE_TYPES,
    progressIntervalMs: options.progressIntervalMs ?? 100,
    persistStorageAbove: options.persistStorageAbove ?? 1024 ** 3,
  };
}
