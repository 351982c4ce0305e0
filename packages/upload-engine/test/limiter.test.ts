import { describe, expect, it } from 'vitest';
import { AdaptiveLimiter, AUTO_CONCURRENCY, createLimiter } from '../src/limiter.js';

const MB = 1e6;

/**
 * Stores parts of 8 MB at the rate `rateOf(limit)` (bytes/ms) in virtual time, for
 * `seconds`; returns the bound after each part.
 */
function drive(l: AdaptiveLimiter, rateOf: (limit: number) => number, seconds: number): number[] {
  const seen: number[] = [];
  for (let t = 0; t < seconds * 1000; ) {
    t += (8 * MB) / rateOf(l.limit);
    l.partStored(8 * MB, t);
    seen.push(l.limit);
  }
  return seen;
}

describe('AdaptiveLimiter (concurrency: auto)', () => {
  it('adds connections while each one adds throughput (12 MB/s per connection)', () => {
    const l = new AdaptiveLimiter();
    expect(l.limit).toBe(AUTO_CONCURRENCY.start);
    const seen = drive(l, (n) => (n * 12 * MB) / 1000, 60);
    expect(seen.at(-1)).toBe(AUTO_CONCURRENCY.max);
    expect(Math.max(...seen)).toBe(AUTO_CONCURRENCY.max);
  });

  it('does not keep more connections on a link that is already full', () => {
    const l = new AdaptiveLimiter();
    const seen = drive(l, () => (60 * MB) / 1000, 120);
    // It probes one more, finds no gain, and comes back; it never settles above the start.
    expect(seen.filter((n) => n > AUTO_CONCURRENCY.start + 1)).toEqual([]);
    expect(seen.filter((n) => n === AUTO_CONCURRENCY.start).length).toBeGreaterThan(
      seen.length / 2,
    );
  });

  it('takes a connection off on each 429/5xx, never below 2, and rests before probing', () => {
    const l = new AdaptiveLimiter();
    for (let i = 0; i < 5; i++) l.overloaded();
    expect(l.limit).toBe(AUTO_CONCURRENCY.min);
    // Resting: a few windows of parts do not move it.
    const seen = drive(l, (n) => (n * 12 * MB) / 1000, 10);
    expect(new Set(seen)).toEqual(new Set([AUTO_CONCURRENCY.min]));
  });

  it('a number is a fixed bound; auto is adaptive', () => {
    expect(createLimiter(3)).not.toBeInstanceOf(AdaptiveLimiter);
    expect(createLimiter(3).limit).toBe(3);
    expect(createLimiter('auto')).toBeInstanceOf(AdaptiveLimiter);
  });
});
