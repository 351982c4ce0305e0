import type { ReactElement, ReactNode } from 'react';
import { cx } from './cx.js';

/** Tone of a {@link Notice}. */
export type NoticeTone = 'info' | 'warning' | 'success' | 'danger' | 'neutral';

const TONES: Record<NoticeTone, { box: string; icon: string }> = {
  info: { box: 'au:border-accent/25 au:bg-accent/5', icon: 'au:text-accent' },
  warning: { box: 'au:border-warning/30 au:bg-warning/8', icon: 'au:text-warning' },
  success: { box: 'au:border-success/25 au:bg-success/6', icon: 'au:text-success' },
  danger: { box: 'au:border-danger/30 au:bg-danger/6', icon: 'au:text-danger' },
  neutral: { box: 'au:border-line au:bg-subtle', icon: 'au:text-muted' },
};

/** A tinted callout with an icon; text stays in the main colour so contrast never depends on the tint. */
export function Notice({
  tone,
  icon,
  children,
  className,
}: {
  tone: NoticeTone;
  icon: ReactNode;
  children: ReactNode;
  className?: string;
}): ReactElement {
  const t = TONES[tone];
  return (
    <div
      className={cx('au:flex au:gap-3 au:rounded-lg au:border au:px-3.5 au:py-3', t.box, className)}
    >
      <span className={cx('au:mt-0.5 au:shrink-0', t.icon)}>{icon}</span>
      <div className="au:flex au:min-w-0 au:flex-1 au:flex-col au:gap-1 au:text-[13px] au:text-fg">
        {children}
      </div>
    </div>
  );
}
