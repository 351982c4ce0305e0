import type { UploadProgress, UploadSnapshot } from './types.js';

/**
 * Bytes a transport reports within this long of an attempt's first progress event are
 * its socket buffers filling (memory speed, not network speed): they are not counted as
 * arrived until the part is confirmed.
 */
export const BURST_MS = 300;
/** Speed is measured over at most this much of the recent past. */
export const SPEED_WINDOW_MS = 20_000;
/** No speed (and no ETA) until this much of the run has been measured. */
export const SPEED_MIN_SPAN_MS = 1_000;

/** One part's current attempt, as its transport reports it. */
interface Attempt {
  /** Bytes the transport has taken (handed to the socket, not necessarily arrived). */
  loaded: number;
  /** Bytes taken during the attempt's first `BURST_MS`: buffered, not yet known to arrive. */
  base: number;
  /** When the first progress event of the attempt came. */
  since: number;
}

/** Cumulative counters at one moment: `arrived` is what we believe the server has. */
interface Sample {
  t: number;
  arrived: number;
  sent: number;
}

/**
 * Byte accounting for progress, and an honest speed and ETA.
 *
 * A transport's upload progress counts bytes handed to the socket buffers, which on a
 * fast machine fill megabytes ahead of what the server has: counting them as sent made
 * the panel show 175.8 MiB/s and "< 1 s left" two seconds into a 16 MiB/s upload. So
 * two counters are kept:
 *   - `sent` (confirmed + every attempt's `loaded`): the bar, held so it never goes
 *     backwards while a run goes on and never past the total; an upper bound of arrival;
 *   - `arrived` (confirmed + what each attempt took after its first `BURST_MS`): a lower
 *     bound of arrival that moves at the network's pace, the buffered head of each
 *     attempt counted only when its part is confirmed.
 * Speed is the slope of `arrived` over the window (from the run's start, then the last
 * `SPEED_WINDOW_MS`), or up to the last confirmed part when that is higher (a part
 * whose bytes all sat in buffers shows up only at its confirmation, so between
 * confirmations the slope to "now" sags), never above the slope of `sent`. The ETA is
 * what has not arrived over that speed. O(1) per progress event; one sample per snapshot.
 */
export class ProgressTracker {
  bytesConfirmed = 0;
  #attempts = new Map<number, Attempt>();
  #loadedSum = 0;
  #creditSum = 0;
  /** Highest `sent` published in this run (the bar never goes backwards). */
  #shown = 0;
  /** Samples within the window, oldest first; the first is the window's start. */
  #samples: Sample[] = [];
  /** `arrived` right after the most recent confirmation. */
  #lastConfirmed: Sample | undefined;
  readonly bytesTotal: number;
  readonly partsTotal: number;

  constructor(bytesTotal: number, partsTotal: number) {
    this.bytesTotal = bytesTotal;
    this.partsTotal = partsTotal;
  }

  /** The part's current attempt has sent `loaded` bytes. */
  inFlight(part: number, loaded: number, length: number, now = Date.now()): void {
    const v = Math.min(Math.max(0, loaded), length);
    let a = this.#attempts.get(part);
    if (!a) {
      a = { loaded: 0, base: 0, since: now };
      this.#attempts.set(part, a);
    }
    const base = now - a.since <= BURST_MS ? v : Math.min(a.base, v);
    this.#loadedSum += v - a.loaded;
    this.#creditSum += v - base - (a.loaded - a.base);
    a.loaded = v;
    a.base = base;
  }

  /** The attempt ended without success: its bytes no longer count. */
  rollback(part: number): void {
    const a = this.#attempts.get(part);
    if (!a) return;
    this.#loadedSum -= a.loaded;
    this.#creditSum -= a.loaded - a.base;
    this.#attempts.delete(part);
  }

  /** The part is stored: its bytes move from in flight to confirmed. */
  confirm(part: number, length: number, now = Date.now()): void {
    this.rollback(part);
    this.bytesConfirmed += length;
    this.#lastConfirmed = { t: now, arrived: this.#arrived, sent: this.#sent };
  }

  /** Drops all in-flight attempts (pause, cancel). */
  clearInFlight(): void {
    this.#attempts.clear();
    this.#loadedSum = 0;
    this.#creditSum = 0;
    this.#shown = 0;
  }

  get #sent(): number {
    return Math.min(this.bytesTotal, this.bytesConfirmed + this.#loadedSum);
  }

  get #arrived(): number {
    return Math.min(this.bytesTotal, this.bytesConfirmed + this.#creditSum);
  }

  /** Bytes sent: confirmed plus in flight, capped at the total. */
  get bytesUploaded(): number {
    return this.#sent;
  }

  /** Restarts the speed estimate (after a pause, the idle time must not count). */
  restartClock(now: number): void {
    this.#samples = [{ t: now, arrived: this.#arrived, sent: this.#sent }];
    this.#lastConfirmed = undefined;
    this.#shown = 0;
  }

  /** Bytes per second over the window, or 0 while it is too short to tell. */
  #speed(now: Sample): number {
    const s = this.#samples;
    if (s.length === 0) return 0;
    while (s.length > 1 && s[1]!.t <= now.t - SPEED_WINDOW_MS) s.shift();
    const start = s[0]!;
    const span = now.t - start.t;
    if (span < SPEED_MIN_SPAN_MS) return 0;
    let speed = (now.arrived - start.arrived) / span;
    const c = this.#lastConfirmed;
    if (c && c.t - start.t >= SPEED_MIN_SPAN_MS)
      speed = Math.max(speed, (c.arrived - start.arrived) / (c.t - start.t));
    return Math.max(0, Math.min(speed, (now.sent - start.sent) / span)) * 1000;
  }

  snapshot(now: number, partsDone: number): UploadProgress {
    const sample: Sample = { t: now, arrived: this.#arrived, sent: this.#sent };
    const speed = this.#speed(sample);
    this.#samples.push(sample);
    this.#shown = Math.max(this.#shown, sample.sent);
    const uploaded = this.#shown;
    const left = this.bytesTotal - sample.arrived;
    return {
      bytesUploaded: uploaded,
      bytesConfirmed: this.bytesConfirmed,
      bytesTotal: this.bytesTotal,
      partsDone,
      partsTotal: this.partsTotal,
      speedBps: speed,
      etaMs: left <= 0 ? 0 : speed > 0 ? (left / speed) * 1000 : undefined,
      fraction: this.bytesTotal > 0 ? uploaded / this.bytesTotal : 0,
    };
  }
}

/** Progress of nothing yet. */
export function emptyProgress(bytesTotal = 0, partsTotal = 0): UploadProgress {
  return {
    bytesUploaded: 0,
    bytesConfirmed: 0,
    bytesTotal,
    partsDone: 0,
    partsTotal,
    speedBps: 0,
    etaMs: undefined,
    fraction: 0,
  };
}

/**
 * The state of an upload before any file: every field present. Also a convenient base for
 * fixtures (`{ ...initialSnapshot('demo'), status: 'paused', … }`).
 */
export function initialSnapshot(id: string): UploadSnapshot {
  return {
    id,
    status: 'idle',
    pauseReason: undefined,
    file: undefined,
    uploadId: undefined,
    fileUid: undefined,
    partSize: 0,
    numParts: 0,
    isResume: false,
    resumedBytes: 0,
    integrityAlgorithm: undefined,
    checksum: 'disabled',
    progress: emptyProgress(),
    retryingParts: 0,
    refreshingUrls: false,
    uncheckpointedParts: 0,
    partsVersion: 0,
    error: undefined,
    result: undefined,
    startedAt: undefined,
    finishedAt: undefined,
    recovery: undefined,
    remote: undefined,
    storagePersisted: undefined,
  };
}
