import { describe, expect, it } from 'vitest';
import {
  EMPTY,
  formatBytes,
  formatCount,
  formatDuration,
  formatPercent,
  formatSpeed,
} from '../src/format.js';

describe('formatBytes', () => {
  it('shows whole bytes below 1 KiB', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1)).toBe('1 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(0.4)).toBe('0 B');
  });

  it('switches to binary units at 1024', () => {
    expect(formatBytes(1024)).toBe('1.0 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(1024 ** 2)).toBe('1.0 MiB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB');
    expect(formatBytes(2 * 1024 ** 4)).toBe('2.0 TiB');
  });

  it('shows a 250 GB file as 232.8 GiB, or 250.0 GB in SI units', () => {
    expect(formatBytes(250_000_000_000)).toBe('232.8 GiB');
    expect(formatBytes(250_000_000_000, { standard: 'si' })).toBe('250.0 GB');
    expect(formatBytes(999, { standard: 'si' })).toBe('999 B');
    expect(formatBytes(1000, { standard: 'si' })).toBe('1.0 kB');
  });

  it('carries into the next unit instead of printing 1024.0', () => {
    expect(formatBytes(1023.6)).toBe('1.0 KiB');
    expect(formatBytes(1024 * 1024 - 1)).toBe('1.0 MiB');
    expect(formatBytes(1024 ** 3 - 20_000)).toBe('1.0 GiB');
    expect(formatBytes(1024 * 1023.94)).toBe('1023.9 KiB');
  });

  it('honours decimals', () => {
    expect(formatBytes(1536, { decimals: 0 })).toBe('2 KiB');
    expect(formatBytes(1536, { decimals: 2 })).toBe('1.50 KiB');
  });

  it('stops at the largest unit', () => {
    expect(formatBytes(1024 ** 6)).toBe('1024.0 PiB');
  });

  it('gives a dash for values it cannot show', () => {
    for (const bad of [
      -1,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      undefined,
      null,
    ]) {
      expect(formatBytes(bad)).toBe(EMPTY);
    }
    expect(EMPTY).toBe('—');
  });
});

describe('formatSpeed', () => {
  it('appends /s', () => {
    expect(formatSpeed(0)).toBe('0 B/s');
    expect(formatSpeed(512)).toBe('512 B/s');
    expect(formatSpeed(182 * 1024 * 1024)).toBe('182.0 MiB/s');
    expect(formatSpeed(12_500_000, { standard: 'si' })).toBe('12.5 MB/s');
  });

  it('gives a dash when unknown', () => {
    expect(formatSpeed(Number.NaN)).toBe(EMPTY);
    expect(formatSpeed(-5)).toBe(EMPTY);
    expect(formatSpeed(undefined)).toBe(EMPTY);
  });
});

describe('formatDuration', () => {
  it('says "< 1 s" under a second', () => {
    expect(formatDuration(0)).toBe('< 1 s');
    expect(formatDuration(999)).toBe('< 1 s');
  });

  it('shows seconds, minutes, hours and days', () => {
    expect(formatDuration(1000)).toBe('1 s');
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(59_400)).toBe('59 s');
    expect(formatDuration(59_500)).toBe('1 min 00 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(3_600_000)).toBe('1 h 00 min');
    expect(formatDuration(3_720_000)).toBe('1 h 02 min');
    expect(formatDuration(3_759_000)).toBe('1 h 02 min');
    expect(formatDuration(26 * 3_600_000 + 1_000)).toBe('1 d 02 h');
  });

  it('gives a dash for unknown ETAs', () => {
    for (const bad of [undefined, null, Number.NaN, Number.POSITIVE_INFINITY, -1]) {
      expect(formatDuration(bad)).toBe(EMPTY);
    }
  });
});

describe('formatPercent', () => {
  it('rounds down so 100% means done', () => {
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.42)).toBe('42%');
    expect(formatPercent(0.999)).toBe('99%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0.29)).toBe('29%');
    expect(formatPercent(0.4269, 1)).toBe('42.6%');
  });

  it('clamps and rejects NaN', () => {
    expect(formatPercent(-0.5)).toBe('0%');
    expect(formatPercent(1.7)).toBe('100%');
    expect(formatPercent(Number.NaN)).toBe(EMPTY);
    expect(formatPercent(undefined)).toBe(EMPTY);
  });
});

describe('formatCount', () => {
  it('adds thousands separators', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1204)).toBe('1,204');
    expect(formatCount(30_000)).toBe('30,000');
    expect(formatCount(-1)).toBe(EMPTY);
  });
});
