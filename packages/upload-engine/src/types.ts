import type { CompleteUploadResponse, IntegrityAlgorithm } from '@atai-upload/api-client';
import type { UploadError } from './errors.js';
import type { UploadStatus } from './machine.js';

/** The file facts that identify "the same file" across page reloads. */
export interface FileIdentity {
  name: string;
  size: number;
  /** MIME type sent as `file_type`. */
  type: string;
  lastModified: number;
}

/**
 * Why an upload is paused: the user paused it, the browser is offline (it resumes by itself),
 * or the API refused the credentials even after asking for fresh ones (`auth`: resume once
 * the app has signed in again; see `onAuthRequired`).
 */
export type PauseReason = 'user' | 'offline' | 'auth';

/** Progress figures, updated at most every `progressIntervalMs`. */
export interface UploadProgress {
  /** Bytes confirmed by storage plus bytes of in-flight PUTs sent so far (rolled back if an attempt fails). */
  bytesUploaded: number;
  /** Bytes confirmed by storage (uploaded or checkpointed parts). */
  bytesConfirmed: number;
  bytesTotal: number;
  partsDone: number;
  partsTotal: number;
  /** Smoothed throughput in bytes per second (0 until measured). */
  speedBps: number;
  /** Estimated time left in ms; `undefined` while unknown. */
  etaMs: number | undefined;
  /** `bytesUploaded / bytesTotal`, 0 … 1. */
  fraction: number;
}

/**
 * Whole-file CRC-32C status. `unavailable`: the server offered it but this page could not
 * compute it (the upload went on without it, see the `integrity` option).
 */
export type ChecksumStatus = 'disabled' | 'computing' | 'ready' | 'verified' | 'unavailable';

/**
 * Everything a UI needs about one upload. This is the zustand store's state:
 * select slices of it so a progress tick re-renders only what shows progress.
 */
export interface UploadSnapshot {
  /** Local id of this upload (stable for the controller's life). */
  id: string;
  status: UploadStatus;
  /** Why the upload is paused, when it is. */
  pauseReason: PauseReason | undefined;
  file: FileIdentity | undefined;
  /** Server upload id, once initiated. */
  uploadId: string | undefined;
  fileUid: string | undefined;
  partSize: number;
  numParts: number;
  /** True when the server reused an earlier in-progress upload of this file. */
  isResume: boolean;
  /** Bytes that were already on the server when this session started. */
  resumedBytes: number;
  integrityAlgorithm: IntegrityAlgorithm | undefined;
  checksum: ChecksumStatus;
  progress: UploadProgress;
  /** Parts waiting for a retry (backoff) right now. */
  retryingParts: number;
  /** A URL refresh request is in flight. */
  refreshingUrls: boolean;
  /** Parts uploaded whose tokens are not checkpointed yet. */
  uncheckpointedParts: number;
  /**
   * Incremented whenever any part's state changes. Per-part states live in
   * `UploadController.partStates` (one byte per part), not in this object, so a part
   * event costs O(1) however many parts there are.
   */
  partsVersion: number;
  error: UploadError | undefined;
  result: CompleteUploadResponse | undefined;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  /** What this browser remembers of an upload an earlier page left unfinished (`interrupted`). */
  recovery: RecoveryInfo | undefined;
  /** The upload as the tab that owns it shows it, while this one waits (`elsewhere`). */
  remote: RemoteUploadView | undefined;
  /**
   * Whether the browser agreed to keep this site's storage (resume records) under storage
   * pressure (`navigator.storage.persist()`, asked for large files; see `persistStorageAbove`).
   * `undefined` when not asked or not supported.
   */
  storagePersisted: boolean | undefined;
}

/** How an unfinished upload from an earlier page can go on. */
export interface RecoveryInfo {
  /**
   * `stored`: a file handle is kept and `resume()` reopens the file (the browser may ask for
   * permission); `none`: the file must be picked or dropped again (`start(file)`), because
   * this browser cannot keep handles (no File System Access API) or the file came from a
   * plain file input.
   */
  handle: 'stored' | 'none';
  /** Parts the server is known to hold (checkpointed), as last recorded. */
  partsOnServer: number;
  /** Their bytes. */
  bytesOnServer: number;
  /**
   * Parts uploaded whose tokens this browser kept but the server has not checkpointed yet:
   * they are checkpointed on resume, not sent again.
   */
  partsHeld: number;
  /** Their bytes. */
  bytesHeld: number;
  /** When the upload was first started in this browser. */
  createdAt: number;
  /** When its record last changed (a part stored or checkpointed). */
  lastActiveAt: number;
}

/** What the tab uploading a file tells the other tabs that have it open. */
export interface RemoteUploadView {
  status: UploadStatus;
  pauseReason: PauseReason | undefined;
  progress: UploadProgress;
  checksum: ChecksumStatus;
  /** The owner's error, reduced to what can cross tabs. */
  error: { code: string; message: string } | undefined;
  result: CompleteUploadResponse | undefined;
}
