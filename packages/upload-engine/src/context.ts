import type { CompleteUploadResponse } from '@atai-upload/api-client';
import type { Checkpointer } from './checkpointer.js';
import type { UploadError } from './errors.js';
import type { UploadEventType } from './machine.js';
import { type PartTable, partLength } from './part-table.js';
import { initialSnapshot, ProgressTracker } from './progress.js';
import { fileKey, type ResumeRecord } from './resume-store.js';
import type { ChecksumStatus, FileIdentity, PauseReason, UploadSnapshot } from './types.js';
import type { UrlRefresher } from './url-refresher.js';

/** The events with what they carry. */
export type UploadEvent =
  | {
      readonly type: 'START';
      readonly file: File;
      readonly identity: FileIdentity;
      readonly at: number;
      /** Where the browser can keep the file across reloads (File System Access API). */
      readonly handle?: FileSystemFileHandle | undefined;
    }
  | { readonly type: 'RECOVER'; readonly record: ResumeRecord }
  | { readonly type: 'REOPENED'; readonly file: File; readonly at: number }
  | { readonly type: 'NOT_REOPENED'; readonly error: UploadError }
  | { readonly type: 'HELD_ELSEWHERE' }
  | { readonly type: 'LOCK_ACQUIRED' }
  | { readonly type: 'PREPARED'; readonly resume: boolean }
  | {
      readonly type: 'INITIATED';
      readonly table: PartTable;
      readonly progress: ProgressTracker;
      readonly patch: Partial<UploadSnapshot>;
    }
  | { readonly type: 'ALL_PARTS_UPLOADED' }
  | {
      readonly type: 'COMPLETED';
      readonly result: CompleteUploadResponse;
      readonly checksum: ChecksumStatus;
      readonly at: number;
    }
  | { readonly type: 'PAUSE'; readonly reason: Exclude<PauseReason, 'auth'> }
  | { readonly type: 'AUTH_REQUIRED'; readonly error: UploadError }
  | { readonly type: 'RESUME' }
  | { readonly type: 'FAIL'; readonly error: UploadError; readonly at: number }
  | { readonly type: 'RETRY' }
  | { readonly type: 'RETRY_FRESH' }
  | { readonly type: 'START_OVER' }
  | { readonly type: 'CANCEL' }
  | { readonly type: 'ABORTED'; readonly at: number }
  | { readonly type: 'RESET' };

// Every event type of the machine has a payload shape here, and no other.
type Covered = UploadEvent['type'] extends UploadEventType
  ? UploadEventType extends UploadEvent['type']
    ? true
    : never
  : never;
const _covered: Covered = true;
void _covered;

/** Services of one run of the part pump: created by `pumpParts`, used until complete or a stop. */
export interface RunServices {
  readonly checkpointer: Checkpointer;
  readonly urls: UrlRefresher;
  /**
   * The CRC-32C of every part, when the checksum is computed: resolves `true` once every
   * part's CRC is known, `false` when it could not be computed and the upload goes on
   * without it (`integrity: 'preferred'`).
   */
  hashing: Promise<boolean> | undefined;
}

/**
 * What the engine knows about the upload beyond its public snapshot. The control fields
 * (file, prepared, resume, and which table and tracker are current) change only in
 * {@link reduce}; the part table and the tracker are mutable bookkeeping that effects
 * update in place (one byte per part, O(1) per event), and `services` is the running
 * part pump's, set by it.
 */
export interface UploadContext {
  readonly file: File | undefined;
  readonly identity: FileIdentity | undefined;
  /** `fileKey(identity)`: the resume record's key. */
  readonly key: string;
  /** A handle that reopens the file after a reload (kept in the resume record). */
  readonly handle: FileSystemFileHandle | undefined;
  /** The local checks ran for this file (a pause or failure after them skips them). */
  readonly prepared: boolean;
  /** Send `resume_if_started` with the next initiate. */
  readonly resume: boolean;
  readonly table: PartTable | undefined;
  readonly progress: ProgressTracker;
  services: RunServices | undefined;
}

/** The context of a controller with no file. */
export function emptyContext(): UploadContext {
  return {
    file: undefined,
    identity: undefined,
    key: '',
    handle: undefined,
    prepared: false,
    resume: false,
    table: undefined,
    progress: new ProgressTracker(0, 0),
    services: undefined,
  };
}

/** Snapshot fields a fresh upload starts from; the derived figures come from the publisher. */
function freshFields(id: string): Partial<UploadSnapshot> {
  const {
    progress: _p,
    partsVersion: _v,
    retryingParts: _r,
    refreshingUrls: _u,
    uncheckpointedParts: _c,
    ...rest
  } = initialSnapshot(id);
  return rest;
}

/**
 * The pure half of a transition: the next context and what the event changes in the
 * snapshot (the status itself is the table's). `id` is the controller's local id.
 */
export function reduce(
  ctx: UploadContext,
  event: UploadEvent,
  id: string,
): { ctx: UploadContext; patch: Partial<UploadSnapshot> } {
  switch (event.type) {
    case 'START':
      return {
        ctx: {
          ...emptyContext(),
          file: event.file,
          identity: event.identity,
          key: fileKey(event.identity),
          // Picked again after an interruption: the stored handle still names this file.
          handle: event.handle ?? (ctx.key === fileKey(event.identity) ? ctx.handle : undefined),
          progress: new ProgressTracker(event.identity.size, 0),
        },
        patch: { ...freshFields(id), file: event.identity, startedAt: event.at },
      };
    case 'RECOVER': {
      const r = event.record;
      const held = Object.keys(r.tokens).map(Number);
      const bytesHeld = held.reduce((sum, n) => sum + partLength(r.file.size, r.partSize, n), 0);
      const progress = new ProgressTracker(r.file.size, r.numParts);
      progress.bytesConfirmed = (r.confirmedBytes ?? 0) + bytesHeld;
      return {
        ctx: { ...emptyContext(), identity: r.file, key: r.key, handle: r.handle, progress },
        patch: {
          ...freshFields(id),
          file: r.file,
          uploadId: r.uploadId,
          partSize: r.partSize,
          numParts: r.numParts,
          recovery: {
            handle: r.handle ? 'stored' : 'none',
            partsOnServer: r.confirmedParts ?? 0,
            bytesOnServer: r.confirmedBytes ?? 0,
            partsHeld: held.length,
            bytesHeld,
            createdAt: r.createdAt ?? r.updatedAt,
            lastActiveAt: r.updatedAt,
          },
        },
      };
    }
    case 'REOPENED':
      return {
        ctx: { ...ctx, file: event.file },
        patch: { error: undefined, startedAt: event.at },
      };
    case 'NOT_REOPENED':
      return { ctx, patch: { error: event.error } };
    case 'HELD_ELSEWHERE':
      return { ctx: { ...ctx, prepared: false }, patch: { remote: undefined } };
    case 'LOCK_ACQUIRED':
      return { ctx, patch: { remote: undefined } };

    case 'PREPARED':
      return { ctx: { ...ctx, prepared: true, resume: event.resume }, patch: {} };
    case 'INITIATED':
      // After one initiate, every later one (resume, retry) is a resume by definition.
      return {
        ctx: { ...ctx, table: event.table, progress: event.progress, resume: true },
        patch: event.patch,
      };
    case 'COMPLETED':
      return {
        ctx,
        patch: {
          remote: undefined,
          recovery: undefined,
          result: event.result,
          fileUid: event.result.file_uid,
          checksum: event.checksum,
          finishedAt: event.at,
        },
      };
    case 'PAUSE':
      return { ctx, patch: { pauseReason: event.reason } };
    case 'AUTH_REQUIRED':
      return { ctx, patch: { pauseReason: 'auth' } };
    case 'RESUME':
      return { ctx, patch: { pauseReason: undefined, error: undefined } };
    case 'FAIL':
      // The server closed a corrupt upload for good: its parts mean nothing any more.
      return {
        ctx: event.error.code === 'integrity_mismatch' ? { ...ctx, table: undefined } : ctx,
        patch: { error: event.error, finishedAt: event.at },
      };
    case 'RETRY':
      return { ctx, patch: { error: undefined } };
    case 'RETRY_FRESH':
      return { ctx: { ...ctx, table: undefined, resume: false }, patch: { error: undefined } };
    case 'START_OVER':
      // The conflicting record is gone: the local checks pass by construction.
      return {
        ctx: { ...ctx, table: undefined, prepared: true, resume: false },
        patch: { error: undefined },
      };
    case 'ABORTED':
      return { ctx, patch: { finishedAt: event.at, remote: undefined } };
    case 'RESET':
      return { ctx: emptyContext(), patch: freshFields(id) };
    case 'ALL_PARTS_UPLOADED':
    case 'CANCEL':
      return { ctx, patch: {} };
  }
}
