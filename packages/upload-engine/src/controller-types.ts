import type { StoreApi } from 'zustand/vanilla';
import type { UploadError } from './errors.js';
import type { StartOptions } from './options.js';
import type { ResumeRecord } from './resume-store.js';
import type { UploadSnapshot } from './types.js';

/**
 * The actions of one upload: what `useMultipartUpload` returns and what the panel's buttons
 * call. A controller is one, so `actions={controller}` wires a panel to it directly.
 */
export interface UploadActions {
  /**
   * Starts uploading `file`. Rejects with an {@link UploadError} (`no_file`, `empty_file`,
   * `file_too_large`, `already_running`) before any request when the input is bad; otherwise
   * resolves at once while the upload runs (watch the store, or await `settled()`).
   */
  start(file: File | null | undefined, options?: StartOptions): Promise<void>;
  /**
   * Stops in-flight PUTs, keeps everything finished. False when not legal now. While another
   * tab uploads the file (`elsewhere`), that tab is asked to pause.
   */
  pause(): boolean;
  /**
   * Continues a paused upload; reopens an interrupted one from its stored file handle (the
   * browser may ask for permission: call it from a click). False when neither applies. While
   * another tab uploads the file, that tab is asked to resume.
   */
  resume(): boolean;
  /**
   * Continues a failed upload from where it stopped (a corrupt one starts afresh). False when
   * not failed.
   */
  retry(): boolean;
  /**
   * After an `upload_conflict`: forget (and abort, when known) the unfinished upload of a
   * different file with this name, and upload this file in its place.
   */
  startOver(): boolean;
  /** Stops the upload and aborts it on the server. Resolves when the server confirmed (or gave up). */
  cancel(): Promise<boolean>;
  /** Back to `idle` from a final state. */
  reset(): boolean;
}

/** Controls one upload: its store, its actions, its per-part states. */
export interface UploadController extends UploadActions {
  readonly id: string;
  /** A zustand vanilla store; subscribe with a selector to re-render only on what you show. */
  readonly store: StoreApi<UploadSnapshot>;
  getSnapshot(): UploadSnapshot;
  /** One byte per part (`PartState` codes); changes are signalled by `partsVersion`. */
  readonly partStates: Uint8Array;
  /** Resolves with the snapshot once the upload is completed, failed or aborted. */
  settled(): Promise<UploadSnapshot>;
  /**
   * Shows an unfinished upload from an earlier page (a record of `listInterrupted()`): an idle
   * controller goes to `interrupted` (or `elsewhere` when another tab is uploading the file).
   * Then `start(file)` with the same file, or `resume()` when a handle is stored, goes on; a
   * different file is refused with `file_mismatch` and the record kept; `cancel()` discards
   * it (server abort, record forgotten). False when the controller is not idle.
   */
  recover(record: ResumeRecord): Promise<boolean>;
  /**
   * Releases listeners, timers and the CRC worker, like closing the tab: a running upload is
   * paused without a server abort (its resume record stays), one that is completing or
   * aborting is first allowed to finish. A later `start()`/`resume()` re-acquires what it needs.
   */
  dispose(): void;
}
