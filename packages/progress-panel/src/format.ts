/**
 * Number formatting for upload figures. Output is locale-independent (a `.` decimal point,
 * `,` thousands separator) so figures keep a stable width while they tick and tests are
 * deterministic. Any value that is not a finite, non-negative number renders as {@link EMPTY}.
 */

/** What every formatter returns for a value it cannot show (negative, NaN, Infinity, missing). */
export const EMPTY = '—';

/**
 * Byte unit system.
 * - `'iec'` (default): powers of 1024 with KiB, MiB, GiB, TiB. A "250 GB" file is 232.8 GiB.
 * - `'si'`: powers of 1000 with kB, MB, GB, TB, as drive vendors and macOS count.
 */
export type ByteStandard = 'iec' | 'si';

/** Options for {@link formatBytes} and {@link formatSpeed}. */
export interface ByteFormatOptions {
  /** Unit system; `'iec'` unless given. */
  standard?: ByteStandard;
  /** Digits after the decimal point for units above bytes (default 1). Bytes are always whole. */
  decimals?: number;
}

const UNITS: Record<ByteStandard, { base: number; units: readonly string[] }> = {
  iec: { base: 1024, units: ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] },
  si: { base: 1000, units: ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] },
};

function isShowable(n: number | undefined | null): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0;
}

/**
 * Formats a byte count: `0 B`, `1 B`, `1023 B`, `1.0 KiB`, `232.8 GiB`.
 * Values that would round up to the next unit move to it (`1.0 MiB`, never `1024.0 KiB`).
 * Negative, NaN and infinite values give {@link EMPTY}.
 */
export function formatBytes(
  bytes: number | undefined | null,
  options: ByteFormatOptions = {},
): string {
  if (!isShowable(bytes)) return EMPTY;
  const { base, units } = UNITS[options.standard ?? 'iec'];
  const decimals = Math.max(0, Math.min(3, Math.trunc(options.decimals ?? 1)));
  if (Math.round(bytes) < base) return `${Math.round(bytes)} B`;
  let unit = 0;
  let value = bytes;
  // Also step up when rounding would reach the base (1023.96 KiB → "1024.0"): show 1.0 MiB.
  const roundsToBase = (): boolean => Number(value.toFixed(unit === 0 ? 0 : decimals)) >= base;
  while (unit < units.length - 1 && roundsToBase()) {
    value /= base;
    unit += 1;
  }
  return `${value.toFixed(decimals)} ${units[unit]}`;
}

/** Formats a throughput in bytes per second: `0 B/s`, `412.3 MiB/s`; {@link EMPTY} when unknown. */
export function formatSpeed(
  bytesPerSecond: number | undefined | null,
  options: ByteFormatOptions = {},
): string {
  const bytes = formatBytes(bytesPerSecond, options);
  return bytes === EMPTY ? EMPTY : `${bytes}/s`;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * Formats a duration in milliseconds for people: `< 1 s`, `45 s`, `3 min 05 s`,
 * `1 h 02 min`, `2 d 03 h`. Seconds are rounded; larger units drop the smallest part.
 * `undefined`, NaN, Infinity and negative values give {@link EMPTY} (an unknown ETA).
 */
export function formatDuration(ms: number | undefined | null): string {
  if (!isShowable(ms)) return EMPTY;
  if (ms < 1000) return '< 1 s';
  const total = Math.round(ms / 1000);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (days > 0) return `${days} d ${pad2(hours)} h`;
  if (hours > 0) return `${hours} h ${pad2(minutes)} min`;
  if (minutes > 0) return `${minutes} min ${pad2(seconds)} s`;
  return `${seconds} s`;
}

/**
 * Formats a 0…1 fraction as a percentage: `0%`, `42%`, `100%`. Rounds down, so an upload
 * shows 100% only when it is really complete. Values outside 0…1 are clamped; NaN gives {@link EMPTY}.
 */
export function formatPercent(fraction: number | undefined | null, decimals = 0): string {
  if (typeof fraction !== 'number' || Number.isNaN(fraction)) return EMPTY;
  const digits = Math.max(0, Math.min(3, Math.trunc(decimals)));
  const clamped = Math.min(1, Math.max(0, fraction));
  const scale = 10 ** digits;
  // The epsilon keeps float noise (0.29 * 100 = 28.999…) from rounding a step down.
  const floored = Math.floor(clamped * 100 * scale + 1e-6) / scale;
  return `${floored.toFixed(digits)}%`;
}

const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Formats a whole count with thousands separators: `30,000`; {@link EMPTY} when not showable. */
export function formatCount(n: number | undefined | null): string {
  return isShowable(n) ? countFormat.format(Math.round(n)) : EMPTY;
}
