/**
 * The upload state machine: named states, named events and the only legal
 * moves between them. Everything else in the engine goes through `transition`,
 * so an illegal move (pausing a completed upload, completing a paused one) is
 * rejected in one place instead of being prevented by scattered `if`s.
 */

/** Where an upload is in its life. */
export type UploadStatus =
  | 'idle'
  | 'preparing'
  | 'initiating'
  | 'uploading'
  | 'paused'
  | 'completing'
  | 'completed'
  | 'failed'
  | 'aborting'
  | 'aborted';

/** Every status, in lifecycle order (for docs, stories and exhaustive tests). */
export const UPLOAD_STATUSES: readonly UploadStatus[] = [
  'idle',
  'preparing',
  'initiating',
  'uploading',
  'paused',
  'completing',
  'completed',
  'failed',
  'aborting',
  'aborted',
];

/** Names of the events that move the machine. */
export type UploadEventType =
  | 'START' // user picked a file
  | 'PREPARED' // input checked, local resume record looked up
  | 'INITIATED' // server answered initiate
  | 'ALL_PARTS_UPLOADED' // every part is uploaded or checkpointed
  | 'COMPLETED' // server answered complete
  | 'PAUSE' // user pause, or the browser went offline
  | 'RESUME' // user resume, or the browser came back online
  | 'FAIL' // a permanent error
  | 'RETRY' // user retry after a failure
  | 'CANCEL' // user cancel: abort on the server
  | 'ABORTED' // server confirmed the abort (or there was nothing to abort)
  | 'RESET'; // back to idle, forgetting the file

type Table = { readonly [S in UploadStatus]: { readonly [E in UploadEventType]?: UploadStatus } };

const TABLE: Table = {
  idle: { START: 'preparing' },
  preparing: { PREPARED: 'initiating', PAUSE: 'paused', FAIL: 'failed', CANCEL: 'aborting' },
  initiating: { INITIATED: 'uploading', PAUSE: 'paused', FAIL: 'failed', CANCEL: 'aborting' },
  uploading: {
    ALL_PARTS_UPLOADED: 'completing',
    PAUSE: 'paused',
    FAIL: 'failed',
    CANCEL: 'aborting',
  },
  // RESUME goes back to initiating: it re-asks the server (resume_if_started) for what
  // is left and for fresh URLs, which is also what makes resume-after-offline safe.
  paused: { RESUME: 'initiating', FAIL: 'failed', CANCEL: 'aborting' },
  completing: { COMPLETED: 'completed', FAIL: 'failed', CANCEL: 'aborting' },
  completed: { START: 'preparing', RESET: 'idle' },
  failed: { RETRY: 'initiating', START: 'preparing', CANCEL: 'aborting', RESET: 'idle' },
  aborting: { ABORTED: 'aborted' },
  aborted: { START: 'preparing', RESET: 'idle' },
};

/** The status after `event`, or `undefined` when the move is illegal. */
export function transition(from: UploadStatus, event: UploadEventType): UploadStatus | undefined {
  return TABLE[from][event];
}

/** Whether `event` is legal in `status`. */
export function can(status: UploadStatus, event: UploadEventType): boolean {
  return TABLE[status][event] !== undefined;
}

/** The events legal in a status (for disabling buttons, and exhaustive tests). */
export function legalEvents(status: UploadStatus): UploadEventType[] {
  return Object.keys(TABLE[status]) as UploadEventType[];
}

/** Statuses in which network work is going on or scheduled. */
export function isActive(status: UploadStatus): boolean {
  return (
    status === 'preparing' ||
    status === 'initiating' ||
    status === 'uploading' ||
    status === 'completing' ||
    status === 'aborting'
  );
}

/** Per-part state codes, stored one byte per part in a `Uint8Array`. */
export const PartState = {
  pending: 0,
  uploading: 1,
  uploaded: 2,
  checkpointed: 3,
  failed: 4,
} as const;
export type PartStateName = keyof typeof PartState;
export type PartStateCode = (typeof PartState)[PartStateName];
export const PART_STATE_NAMES: readonly PartStateName[] = [
  'pending',
  'uploading',
  'uploaded',
  'checkpointed',
  'failed',
];
