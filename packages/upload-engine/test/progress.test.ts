import { describe, expect, it } from 'vitest';
import { ProgressTracker } from '../src/progress.js';

const MiB = 1024 ** 2;

interface Link {
  /** Connections, each sending one part at a time. */
  connections: number;
  /** Bytes per ms each connection delivers to the server. */
  rate: number;
  /**
   * Bytes the transport takes ahead of the server per connection (socket buffers): its
   * progress says `buffer` bytes more than arrived, up to the part's length.
   */
  buffer: number;
  partSize: number;
  fileSize: number;
  /** The server answers this long after a part's last byte arrived (ms). */
  answerMs?: number;
  /** Part attempts that fail after this many bytes arrived, and are sent again. */
  failAt?: Map<number, number>;
}

interface Seen {
  t: number;
  speed: number;
  etaMs: number | undefined;
  fraction: number;
  bytesUploaded: number;
  /** Bytes the server really holds. */
  arrived: number;
  /** Connections sending at this moment. */
  busy: number;
}

/**
 * Drives a tracker with a simulated transport in virtual time: progress events every
 * 50 ms per attempt, snapshots every 100 ms (as the publisher takes them).
 */
function simulate(link: Link): Seen[] {
  const { connections, rate, buffer, partSize, fileSize } = link;
  const numParts = Math.ceil(fileSize / partSize);
  const p = new ProgressTracker(fileSize, numParts);
  p.restartClock(0);
  const failAt = new Map(link.failAt);
  const lengthOf = (n: number) => Math.min(partSize, fileSize - n * partSize);
  let next = 0;
  let stored = 0;
  const lanes = Array.from({ length: connections }, () => ({
    part: -1,
    start: 0,
    doneAt: Number.POSITIVE_INFINITY,
  }));
  const take = (lane: (typeof lanes)[number], t: number, part = next++) => {
    lane.part = part < numParts ? part : -1;
    lane.start = t;
    lane.doneAt = t + lengthOf(part) / rate + (link.answerMs ?? 0);
  };
  for (const lane of lanes) take(lane, 0);
  const seen: Seen[] = [];
  for (let t = 0; lanes.some((l) => l.part >= 0); t += 50) {
    let busy = 0;
    let inFlightArrived = 0;
    for (const lane of lanes) {
      if (lane.part < 0) continue;
      const n = lane.part;
      const len = lengthOf(n);
      const arrived = Math.min(len, (t - lane.start) * rate);
      const fail = failAt.get(n);
      if (fail !== undefined && arrived >= fail) {
        failAt.delete(n);
        p.rollback(n);
        take(lane, t, n);
        continue;
      }
      if (t >= lane.doneAt) {
        p.confirm(n, len, t);
        stored += len;
        take(lane, t);
        continue;
      }
      busy++;
      inFlightArrived += arrived;
      p.inFlight(n, Math.min(len, arrived + buffer), len, t);
    }
    if (t % 100 === 0) {
      const s = p.snapshot(t, 0);
      seen.push({
        t,
        speed: s.speedBps,
        etaMs: s.etaMs,
        fraction: s.fraction,
        bytesUploaded: s.bytesUploaded,
        arrived: stored + inFlightArrived,
        busy,
      });
    }
  }
  return seen;
}

/** The rules: speed within 25% from the 3rd second, no optimistic ETA, a bar that only moves forward. */
function checkHonest(link: Link, seen: Seen[]): void {
  const realBps = link.connections * link.rate * 1000;
  let last = 0;
  for (const s of seen) {
    expect(s.fraction).toBeGreaterThanOrEqual(last);
    expect(s.fraction).toBeLessThanOrEqual(1);
    last = s.fraction;
    // Every connection busy: the real rate is known.
    if (s.t >= 3000 && s.busy === link.connections) {
      expect(Math.abs(s.speed - realBps) / realBps, `speed at ${s.t} ms`).toBeLessThanOrEqual(0.25);
    }
    const left = link.fileSize - s.arrived;
    const secondsLeft = left / realBps;
    if (s.etaMs !== undefined) {
      // Never more than 25% optimistic, so never "< 1 s" while seconds of bytes are to come.
      expect(s.etaMs / 1000, `ETA at ${s.t} ms`).toBeGreaterThanOrEqual(secondsLeft / 1.25);
      if (secondsLeft >= 1.25) expect(s.etaMs).toBeGreaterThanOrEqual(1000);
    }
  }
}

describe('ProgressTracker under a socket buffer', () => {
  // The setup: 4 MiB/s per connection, 16 MiB/s in all, the transport taking
  // megabytes before the server has them.
  const base = { connections: 4, rate: (4 * MiB) / 1000, fileSize: 200 * MiB + 4321 };

  it('reports the real rate from the 3rd second with 8 MiB parts and 4 MiB buffered per connection', () => {
    const link = { ...base, partSize: 8 * MiB, buffer: 4 * MiB, answerMs: 5 };
    const seen = simulate(link);
    checkHonest(link, seen);
    // The old estimate (what the transport said over the first second) was ~11× too fast.
    const early = seen.find((s) => s.t === 2000)!;
    expect(early.speed).toBeLessThan(link.connections * link.rate * 1000 * 1.25);
  });

  it('stays honest when a whole part fits in the buffers (it arrives unseen until confirmed)', () => {
    const link = { ...base, partSize: 8 * MiB, buffer: 12 * MiB };
    checkHonest(link, simulate(link));
  });

  it('stays honest with large parts that take long to confirm', () => {
    const link = { ...base, partSize: 64 * MiB, buffer: 6 * MiB, fileSize: 600 * MiB };
    checkHonest(link, simulate(link));
  });

  it('never moves the bar back or past 100% when attempts fail midway and are sent again', () => {
    const link = {
      ...base,
      partSize: 8 * MiB,
      buffer: 4 * MiB,
      fileSize: 64 * MiB,
      failAt: new Map([
        [1, 3 * MiB],
        [5, 7 * MiB],
        [7, 6 * MiB],
      ]),
    };
    const seen = simulate(link);
    checkHonest(link, seen);
    expect(seen.at(-1)!.fraction).toBeCloseTo(1, 6);
  });

  it('shows no speed and no ETA until a second of the run has been measured', () => {
    const p = new ProgressTracker(100 * MiB, 100);
    p.restartClock(1_000);
    p.inFlight(0, 4 * MiB, MiB * 8, 1_010);
    const s = p.snapshot(1_500, 0);
    expect([s.speedBps, s.etaMs]).toEqual([0, undefined]);
    expect(s.bytesUploaded).toBe(4 * MiB);
  });
});
