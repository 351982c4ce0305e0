import type { ReactElement } from 'react';
import { cx } from './cx.js';
import { TONE_FILL } from './StatusBadge.js';
import type { StatusTone } from './status.js';

/** Props of {@link ProgressBar}. */
export interface ProgressBarProps {
  /** Done fraction, 0…1 (including bytes in flight); `undefined` draws an indeterminate bar. */
  value: number | undefined;
  /** Fraction confirmed by storage, 0…`value`: drawn solid, the rest of `value` lighter. */
  confirmed?: number;
  /** Accessible name, e.g. "Upload progress of data.tar". */
  label: string;
  /** Spoken value, e.g. "42% — 1.2 GiB of 3.0 GiB". */
  valueText?: string;
  tone?: StatusTone;
  /** Moving stripes while bytes flow (off under `prefers-reduced-motion`). */
  animated?: boolean;
  size?: 'sm' | 'md';
  className?: string;
}

const clamp01 = (n: number): number => (Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0);

/**
 * An accessible progress bar (`role="progressbar"`, values 0–100). Two segments show bytes
 * confirmed by storage and bytes still in flight, so a failed attempt rolling back is visible.
 */
export function ProgressBar({
  value,
  confirmed,
  label,
  valueText,
  tone = 'active',
  animated = false,
  size = 'md',
  className,
}: ProgressBarProps): ReactElement {
  const indeterminate = value === undefined;
  const total = clamp01(value ?? 0);
  const solid = Math.min(total, clamp01(confirmed ?? total));
  const fill = TONE_FILL[tone];
  const stripes = animated && 'au:stripes au:motion-safe:animate-stripes';
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={indeterminate ? undefined : Math.floor(total * 100 + 1e-6)}
      aria-valuetext={valueText}
      className={cx(
        'au:relative au:w-full au:overflow-hidden au:rounded-full au:bg-subtle',
        size === 'md' ? 'au:h-2' : 'au:h-1.5',
        className,
      )}
    >
      {indeterminate ? (
        <div
          className={cx(
            'au:absolute au:inset-y-0 au:left-0 au:w-1/3 au:rounded-full au:opacity-70',
            fill,
            'au:motion-safe:animate-indeterminate',
          )}
        />
      ) : (
        <>
          <div
            className={cx(
              'au:absolute au:inset-y-0 au:left-0 au:rounded-full au:opacity-40',
              fill,
              'au:motion-safe:transition-[width] au:motion-safe:duration-300',
            )}
            style={{ width: `${total * 100}%` }}
          />
          <div
            className={cx(
              'au:absolute au:inset-y-0 au:left-0 au:rounded-full',
              fill,
              stripes,
              'au:motion-safe:transition-[width] au:motion-safe:duration-300',
            )}
            style={{ width: `${solid * 100}%` }}
          />
        </>
      )}
    </div>
  );
}
