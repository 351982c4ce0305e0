import type { UploadProgress, UploadSnapshot } from './types.js';

const SPEED_HALF_LIFE_MS = 2_000;

/**
 * Byte accounting for progress: confirmed bytes plus what in-flight PUTs report,
 * rolled back when an attempt fails so progress never runs ahead of reality.
 * Speed is an exponentially weighted average, sampled when a snapshot is taken.
 */
export class ProgressTracker {
  bytesConfirmed = 0;
  #inFlight = new Map<number, number>();
  #inFlightSum = 0;
  #speed = 0;
  #lastBytes = 0;
  #lastAt = 0;
  readonly bytesTotal: number;
  readonly partsTotal: number;

  constructor(bytesTotal: number, partsTotal: number) {
    this.bytesTotal = bytesTotal;
    this.partsTotal = partsTotal;
  }

  /** The part's current attempt has sent `loaded` bytes. */
  inFlight(part: number, loaded: number, length: number): void {
    const v = Math.min(Math.max(0, loaded), length);
    this.#inFlightSum += v - (this.#inFlight.get(part) ?? 0);
    this.#inFlight.set(part, v);
  }

  /** The attempt ended without success: its bytes no longer count. */
  rollback(part: number): void {
    this.#inFlightSum -= this.#inFlight.get(part) ?? 0;
    this.#inFlight.delete(part);
  }

  /** The part is stored: its bytes move from in flight to confirmed. */
  confirm(part: number, length: number): void {
    this.rollback(part);
    this.bytesConfirmed += length;
  }

  /** Drops all in-flight attempts (pause, cancel). */
  clearInFlight(): void {
    this.#inFlight.clear();
    this.#inFlightSum = 0;
  }

  get bytesUploaded(): number {
    return Math.min(this.bytesTotal, this.bytesConfirmed + this.#inFlightSum);
  }

  /** Restarts the speed estimate (after a pause, the idle time must not count). */
  restartClock(now: number): void {
    this.#lastAt = now;
    this.#lastBytes = this.bytesUploaded;
    this.#speed = 0;
  }

  snapshot(now: number, partsDone: number): UploadProgress {
    const uploaded = this.bytesUploaded;
    const dt = now - this.#lastAt;
    if (this.#lastAt > 0 && dt > 0) {
      const sample = (Math.max(0, uploaded - this.#lastBytes) * 1000) / dt;
      const w = 1 - 0.5 ** (dt / SPEED_HALF_LIFE_MS);
      this.#speed = this.#speed === 0 ? sample : this.#speed + w * (sample - this.#speed);
    }
    this.#lastAt = now;
    this.#lastBytes = uploaded;
    const left = this.bytesTotal - uploaded;
    return {
      bytesUploaded: uploaded,
      bytesConfirmed: this.bytesConfirmed,
      bytesTotal: this.bytesTotal,
      partsDone,
      partsTotal: this.partsTotal,
      speedBps: this.#speed,
      etaMs: left <= 0 ? 0 : this.#speed > 0 ? (left / this.#speed) * 1000 : undefined,
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
