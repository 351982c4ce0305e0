import {
  isActive,
  UPLOAD_STATUSES,
  type UploadSnapshot,
  type UploadStatus,
} from '@atai-upload/engine';

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
  /** Whether work is under way (drives the pulsing dot and the striped bar): the engine's `active` tag. */
  busy: boolean;
  /** Place in a queue's per-status summary: what needs watching first, settled last. */
  rank: number;
}

/** Words and colours per status; what a status *means* (busy or not) comes from the engine's table. */
const PRESENTATION: Readonly<Record<UploadStatus, Omit<StatusMeta, 'busy'>>> = {
  uploading: { label: 'Uploading', tone: 'active', rank: 0 },
  completing: { label: 'Finishing', tone: 'active', rank: 1 },
  initiating: { label: 'Starting', tone: 'active', rank: 2 },
  preparing: { label: 'Preparing', tone: 'active', rank: 3 },
  reopening: { label: 'Reopening', tone: 'active', rank: 4 },
  paused: { label: 'Paused', tone: 'warning', rank: 5 },
  interrupted: { label: 'Interrupted', tone: 'warning', rank: 6 },
  failed: { label: 'Failed', tone: 'danger', rank: 7 },
  elsewhere: { label: 'In another tab', tone: 'neutral', rank: 8 },
  idle: { label: 'Ready', tone: 'neutral', rank: 9 },
  completed: { label: 'Completed', tone: 'success', rank: 10 },
  // The engine's CANCEL/ABORT wording is shown as "Cancel".
  aborting: { label: 'Cancelling', tone: 'neutral', rank: 11 },
  aborted: { label: 'Cancelled', tone: 'neutral', rank: 12 },
};

/** Presentation of every engine status. */
export const STATUS_META: Readonly<Record<UploadStatus, StatusMeta>> = Object.fromEntries(
  UPLOAD_STATUSES.map((s) => [s, { ...PRESENTATION[s], busy: isActive(s) }]),
) as Record<UploadStatus, StatusMeta>;

/** Statuses in summary order (see {@link StatusMeta.rank}). */
export const STATUS_SUMMARY_ORDER: readonly UploadStatus[] = [...UPLOAD_STATUSES].sort(
  (a, b) => PRESENTATION[a].rank - PRESENTATION[b].rank,
);

/** The badge label of a snapshot, naming the offline pause apart from a user pause. */
export function statusLabel(snapshot: Pick<UploadSnapshot, 'status' | 'pauseReason'>): string {
  if (snapshot.status === 'paused' && snapshot.pauseReason === 'offline') return 'Offline';
  if (snapshot.status === 'paused' && snapshot.pauseReason === 'auth') return 'Sign-in needed';
  return STATUS_META[snapshot.status].label;
}
