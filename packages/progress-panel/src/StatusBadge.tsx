import type { UploadSnapshot } from '@atai-upload/engine';
import type { ReactElement } from 'react';
import { cx } from './cx.js';
import { STATUS_META, type StatusTone, statusLabel } from './status.js';

/** Props of {@link StatusBadge}. */
export interface StatusBadgeProps {
  status: UploadSnapshot['status'];
  pauseReason?: UploadSnapshot['pauseReason'];
  className?: string;
}

const TONE_BADGE: Record<StatusTone, string> = {
  neutral: 'au:border-line au:bg-subtle',
  active: 'au:border-accent/30 au:bg-accent/10',
  warning: 'au:border-warning/35 au:bg-warning/10',
  success: 'au:border-success/30 au:bg-success/10',
  danger: 'au:border-danger/35 au:bg-danger/10',
};

/** Background class of each tone's solid colour (dots, bars). */
export const TONE_FILL: Readonly<Record<StatusTone, string>> = {
  neutral: 'au:bg-muted',
  active: 'au:bg-accent',
  warning: 'au:bg-warning',
  success: 'au:bg-success',
  danger: 'au:bg-danger',
};

/**
 * A pill naming the upload status: a coloured dot plus a text label (never colour alone).
 * The dot pulses while work is under way, unless the user prefers reduced motion.
 */
export function StatusBadge({ status, pauseReason, className }: StatusBadgeProps): ReactElement {
  const meta = STATUS_META[status];
  return (
    <span
      data-tone={meta.tone}
      className={cx(
        // One width for every label ("Cancelling" is the longest), so a state change never
        // moves the badge or what sits beside it.
        'au:inline-flex au:min-w-[8.25em] au:shrink-0 au:items-center au:justify-center au:gap-1.5 au:rounded-full au:border au:px-2.5 au:py-1 au:text-xs au:leading-none au:font-medium au:text-fg',
        TONE_BADGE[meta.tone],
        className,
      )}
    >
      <span
        aria-hidden="true"
        className={cx(
          'au:size-1.5 au:rounded-full',
          TONE_FILL[meta.tone],
          meta.busy && 'au:motion-safe:animate-pulse-dot',
        )}
      />
      {statusLabel({ status, pauseReason })}
    </span>
  );
}
