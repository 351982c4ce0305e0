import type { UploadSnapshot, UploadStatus } from '@atai-upload/engine';

/**
 * The colour family a status is drawn in. Every tone is paired with a text label,
 * so no state is told by colour alone.
 */
export type StatusTone = 'neutral' | 'active' | 'warning' | 'success' | 'danger';

/** How one upload status is presented. */
export interface StatusMeta {
  /** Short label for badges ("Uploading"). */
  label: string;
  tone: StatusTone;
  /** Whether work is under way (drives the pulsing dot and the striped bar). */
  busy: boolean;
}

/** Presentation of every engine status. The engine's CANCEL/ABORT wording is shown as "Cancel". */
export const STATUS_META: Readonly<Record<UploadStatus, StatusMeta>> = {
  idle: { label: 'Ready', tone: 'neutral', busy: false },
  preparing: { label: 'Preparing', tone: 'active', busy: true },
  initiating: { label: 'Starting', tone: 'active', busy: true },
  uploading: { label: 'Uploading', tone: 'active', busy: true },
  paused: { label: 'Paused', tone: 'warning', busy: false },
  completing: { label: 'Finishing', tone: 'active', busy: true },
  completed: { label: 'Completed', tone: 'success', busy: false },
  failed: { label: 'Failed', tone: 'danger', busy: false },
  aborting: { label: 'Cancelling', tone: 'neutral', busy: true },
  aborted: { label: 'Cancelled', tone: 'neutral', busy: false },
};

/** The badge label of a snapshot, naming the offline pause apart from a user pause. */
export function statusLabel(snapshot: Pick<UploadSnapshot, 'status' | 'pauseReason'>): string {
  if (snapshot.status === 'paused' && snapshot.pauseReason === 'offline') return 'Offline';
  return STATUS_META[snapshot.status].label;
}
