import { defaultResumeStore, type ResumeRecord, type ResumeStore } from './resume-store.js';
import { defaultLocks, lockName } from './tabs.js';
import type { FileIdentity } from './types.js';

/** An upload this browser started and did not finish or cancel, as the recovery shelf lists it. */
export interface InterruptedUpload {
  /** The record behind it: pass it to `controller.recover(record)`. */
  record: ResumeRecord;
  file: FileIdentity;
  uploadId: string;
  numParts: number;
  /** Parts and bytes the server is known to hold (checkpointed). */
  partsOnServer: number;
  bytesOnServer: number;
  /** Parts uploaded whose tokens this browser holds (sent with the next checkpoint). */
  partsHeldLocally: number;
  createdAt: number;
  lastActiveAt: number;
  /** A file handle is stored: one-click resume (after a permission prompt). */
  hasHandle: boolean;
  /** Another tab of this site is uploading it right now. */
  inOtherTab: boolean;
}

/** Options of {@link listInterrupted}. */
export interface ListInterruptedOptions {
  /** Default: the page's shared store (IndexedDB). */
  resumeStore?: ResumeStore;
  /** Default `navigator.locks`; `null`: do not ask which files other tabs hold. */
  locks?: LockManager | null;
}

/**
 * Every unfinished upload this browser knows, newest first, without any pick or request:
 * re-read from storage (so uploads other tabs started are included).
 */
export async function listInterrupted(
  options: ListInterruptedOptions = {},
): Promise<InterruptedUpload[]> {
  const store = options.resumeStore ?? defaultResumeStore();
  await store.refresh();
  const locks = options.locks === null ? undefined : (options.locks ?? defaultLocks());
  const held = new Set((await locks?.query())?.held?.map((l) => l.name));
  return store.list().map((r) => ({
    record: r,
    file: r.file,
    uploadId: r.uploadId,
    numParts: r.numParts,
    partsOnServer: r.confirmedParts ?? 0,
    bytesOnServer: r.confirmedBytes ?? 0,
    partsHeldLocally: Object.keys(r.tokens).length,
    createdAt: r.createdAt ?? r.updatedAt,
    lastActiveAt: r.updatedAt,
    hasHandle: r.handle !== undefined,
    inOtherTab: held.has(lockName(r.key)),
  }));
}
