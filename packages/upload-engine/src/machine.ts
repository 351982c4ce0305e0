/**
 * The upload state machine, as one table: for each status, its tags, the synchronous
 * `entry` action run on entering it, the async effect it `invoke`s, and the events it
 * accepts with their targets (the vocabulary XState uses). The controller is only an
 * interpreter of this table: every status change goes through it, so an illegal move
 * (pausing a completed upload, completing a paused one) is refused in one place, and
 * every other package asks the table (through tags) what a status means.
 */

/** Where an upload is in its life. */
export type UploadStatus =
  | 'idle'
  | 'interrupted'
  | 'reopening'
  | 'elsewhere'
  | 'preparing'
  | 'initiating'
  | 'uploading'
  | 'paused'
  | 'completing'
  | 'completed'
  | 'failed'
  | 'aborting'
  | 'aborted';

/** Names of the events that move the machine. */
export type UploadEventType =
  | 'START' // a file was picked
  | 'RECOVER' // an unfinished upload found in this browser's records, before any pick
  | 'REOPENED' // the stored file handle gave the file back
  | 'NOT_REOPENED' // …or did not (permission refused, file moved or changed)
  | 'HELD_ELSEWHERE' // another tab holds this file's lock: it is uploading it
  | 'LOCK_ACQUIRED' // that tab let go (closed, crashed, finished): this one may go on
  | 'PREPARED' // local checks done: resume record looked up, no conflicting file
  | 'INITIATED' // the server answered initiate
  | 'ALL_PARTS_UPLOADED' // every part is uploaded or checkpointed
  | 'COMPLETED' // the server answered complete
  | 'PAUSE' // user pause, the browser went offline, or the controller was disposed
  | 'AUTH_REQUIRED' // the API refused the credentials even after a fresh token was asked for
  | 'RESUME' // user resume, or the browser came back online
  | 'FAIL' // a permanent error
  | 'RETRY' // user retry after a failure: continue where it stopped
  | 'RETRY_FRESH' // retry after the server marked the file corrupt: a new upload
  | 'START_OVER' // after a name conflict: replace the other file's unfinished upload
  | 'CANCEL' // user cancel: abort on the server
  | 'ABORTED' // the server confirmed the abort (or there was nothing to abort)
  | 'RESET'; // back to idle, forgetting the file

/**
 * What a status means, for everyone who must know without listing statuses:
 * - `active`: network work is going on or scheduled (a UI shows it as busy).
 * - `running`: the upload itself is under way; leaving every `running` status ends the run
 *   (its in-flight requests are aborted).
 * - `final`: the upload settled (`settled()` resolves).
 * - `resting`: nothing runs; letting go of the controller loses nothing.
 * - `settling`: the server is finishing the upload (complete or abort); letting go of the
 *   controller waits for it rather than strand it half-done.
 */
export type StatusTag = 'active' | 'running' | 'final' | 'resting' | 'settling';

/** Synchronous actions run on entering a status, before it is published. */
export type EntryAction = 'stopParts' | 'dropParts' | 'releaseFile';

/** Async effects a status starts; each ends by sending the next event. */
export type EffectName =
  | 'reopen'
  | 'followTab'
  | 'prepare'
  | 'initiate'
  | 'pumpParts'
  | 'complete'
  | 'abort';

/** Named conditions on the upload's context that choose between two targets. */
export type GuardName = 'prepared' | 'hasFile' | 'hasHandle';

/**
 * Where an event leads: a status, or a status chosen by a guard. Without `otherwise`, the
 * event is refused when the guard fails.
 */
export type Target =
  | UploadStatus
  | { readonly when: GuardName; readonly to: UploadStatus; readonly otherwise?: UploadStatus };

/** One row of the table. */
export interface StateNode {
  /** One line for docs and stories. */
  readonly summary: string;
  readonly tags: readonly StatusTag[];
  readonly entry?: EntryAction;
  readonly invoke?: EffectName;
  readonly on: { readonly [E in UploadEventType]?: Target };
}

/** Prepared already (a pause or failure after the local checks): skip them on the way back. */
const BACK_TO_WORK: Target = { when: 'prepared', to: 'initiating', otherwise: 'preparing' };

/** The machine. Order of keys is lifecycle order. */
export const MACHINE: { readonly [S in UploadStatus]: StateNode } = {
  idle: {
    summary: 'No file yet.',
    tags: ['resting'],
    entry: 'releaseFile',
    on: { START: 'preparing', RECOVER: 'interrupted' },
  },
  interrupted: {
    summary:
      'Left unfinished by an earlier page: the server holds part of it. Reopen the stored file, or pick it again, to go on.',
    tags: ['resting'],
    entry: 'releaseFile',
    on: {
      START: 'preparing',
      RESUME: { when: 'hasHandle', to: 'reopening' },
      HELD_ELSEWHERE: 'elsewhere',
      CANCEL: 'aborting',
      RESET: 'idle',
    },
  },
  reopening: {
    summary: 'Reopening the file from its stored handle (the browser may ask for permission).',
    tags: ['active'],
    invoke: 'reopen',
    on: { REOPENED: 'preparing', NOT_REOPENED: 'interrupted', CANCEL: 'aborting' },
  },
  elsewhere: {
    summary:
      'Another tab is uploading this file: its progress is shown here, and this tab takes over if that one closes.',
    // Not resting: it waits for the other tab's lock. Not active: this tab sends nothing.
    tags: [],
    invoke: 'followTab',
    on: {
      LOCK_ACQUIRED: { when: 'hasFile', to: 'preparing', otherwise: 'interrupted' },
      COMPLETED: 'completed',
      ABORTED: 'aborted',
      RESET: 'idle',
    },
  },
  preparing: {
    summary: 'Local checks: the resume record, a different file under the same name.',
    tags: ['active', 'running'],
    invoke: 'prepare',
    on: {
      PREPARED: 'initiating',
      HELD_ELSEWHERE: 'elsewhere',
      PAUSE: 'paused',
      FAIL: 'failed',
      CANCEL: 'aborting',
    },
  },
  initiating: {
    summary: 'Asking the server for the upload, what it has, and part URLs.',
    tags: ['active', 'running'],
    invoke: 'initiate',
    on: {
      INITIATED: 'uploading',
      PAUSE: 'paused',
      AUTH_REQUIRED: 'paused',
      FAIL: 'failed',
      CANCEL: 'aborting',
    },
  },
  uploading: {
    summary: 'Parts are PUT to storage and checkpointed; CRCs are computed alongside.',
    tags: ['active', 'running'],
    invoke: 'pumpParts',
    on: {
      ALL_PARTS_UPLOADED: 'completing',
      PAUSE: 'paused',
      AUTH_REQUIRED: 'paused',
      FAIL: 'failed',
      CANCEL: 'aborting',
    },
  },
  paused: {
    summary: 'Stopped by the user or by going offline; finished parts are kept.',
    tags: [],
    entry: 'stopParts',
    // Back through initiating: it re-asks the server (resume_if_started) for what is left
    // and for fresh URLs, which is also what makes resume-after-offline safe.
    on: { RESUME: BACK_TO_WORK, FAIL: 'failed', CANCEL: 'aborting' },
  },
  completing: {
    summary: 'Sending complete with the last tokens and the whole-file checksum.',
    tags: ['active', 'running', 'settling'],
    invoke: 'complete',
    // No user pause while completing, but a refused sign-in waits here like a pause: the
    // tokens are kept, and resume() re-initiates and completes.
    on: {
      COMPLETED: 'completed',
      AUTH_REQUIRED: 'paused',
      FAIL: 'failed',
      CANCEL: 'aborting',
    },
  },
  completed: {
    summary: 'The server registered the file.',
    tags: ['final', 'resting'],
    entry: 'releaseFile',
    on: { START: 'preparing', RESET: 'idle' },
  },
  failed: {
    summary: 'A permanent error; retry continues (or starts afresh after a corrupt file).',
    tags: ['final', 'resting'],
    entry: 'stopParts',
    on: {
      RETRY: BACK_TO_WORK,
      RETRY_FRESH: 'initiating',
      START_OVER: 'initiating',
      START: 'preparing',
      CANCEL: 'aborting',
      RESET: 'idle',
    },
  },
  aborting: {
    summary: 'Aborting the upload on the server.',
    tags: ['active', 'settling'],
    entry: 'dropParts',
    invoke: 'abort',
    on: { ABORTED: 'aborted' },
  },
  aborted: {
    summary: 'Cancelled; the server upload is aborted.',
    tags: ['final', 'resting'],
    entry: 'releaseFile',
    on: { START: 'preparing', RESET: 'idle' },
  },
};

/** Every status, in lifecycle order (for docs, stories and exhaustive tests). */
export const UPLOAD_STATUSES = Object.keys(MACHINE) as readonly UploadStatus[];

/** Every event name (for docs and exhaustive tests). */
export const UPLOAD_EVENTS: readonly UploadEventType[] = [
  'START',
  'RECOVER',
  'REOPENED',
  'NOT_REOPENED',
  'HELD_ELSEWHERE',
  'LOCK_ACQUIRED',
  'PREPARED',
  'INITIATED',
  'ALL_PARTS_UPLOADED',
  'COMPLETED',
  'PAUSE',
  'AUTH_REQUIRED',
  'RESUME',
  'FAIL',
  'RETRY',
  'RETRY_FRESH',
  'START_OVER',
  'CANCEL',
  'ABORTED',
  'RESET',
];

/** What the guards look at. */
export interface GuardContext {
  /** The local checks ran for the current file. */
  readonly prepared: boolean;
  /** The upload has its `File` (not only a record of it). */
  readonly hasFile: boolean;
  /** A stored file handle can reopen the file without a pick. */
  readonly hasHandle: boolean;
}

/**
 * The status after `event`, or `undefined` when the move is illegal. Guarded targets need
 * `ctx`; without it, the guard counts as passed.
 */
export function transition(
  from: UploadStatus,
  event: UploadEventType,
  ctx?: GuardContext,
): UploadStatus | undefined {
  const target = MACHINE[from].on[event];
  if (target === undefined || typeof target === 'string') return target;
  return (ctx ? ctx[target.when] : true) ? target.to : target.otherwise;
}

/** Whether `event` is legal in `status` (for disabling buttons). */
export function can(status: UploadStatus, event: UploadEventType): boolean {
  return MACHINE[status].on[event] !== undefined;
}

/** Whether `status` carries `tag`. */
export function hasTag(status: UploadStatus, tag: StatusTag): boolean {
  return MACHINE[status].tags.includes(tag);
}

/** Statuses in which network work is going on or scheduled (the `active` tag). */
export function isActive(status: UploadStatus): boolean {
  return hasTag(status, 'active');
}

/** Statuses in which the upload is settled (the `final` tag). */
export function isFinal(status: UploadStatus): boolean {
  return hasTag(status, 'final');
}

/**
 * The machine as a Mermaid state diagram: the engine README embeds it, and a test checks
 * that the README shows exactly this.
 */
export function machineDiagram(): string {
  const lines = ['stateDiagram-v2', '  [*] --> idle'];
  for (const from of UPLOAD_STATUSES) {
    for (const event of UPLOAD_EVENTS) {
      const target = MACHINE[from].on[event];
      if (target === undefined) continue;
      if (typeof target === 'string') lines.push(`  ${from} --> ${target}: ${event}`);
      else {
        lines.push(`  ${from} --> ${target.to}: ${event} [${target.when}]`);
        if (target.otherwise)
          lines.push(`  ${from} --> ${target.otherwise}: ${event} [not ${target.when}]`);
      }
    }
  }
  return lines.join('\n');
}
