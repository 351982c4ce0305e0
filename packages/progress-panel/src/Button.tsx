import type { ButtonHTMLAttributes, ReactElement, ReactNode } from 'react';
import { cx } from './cx.js';

/** Visual weight of a {@link Button}. */
export type ButtonVariant = 'primary' | 'secondary' | 'segment';

/** Props of {@link Button}: a native `<button>` plus a variant and an optional leading icon. */
export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  icon?: ReactNode;
}

const BASE =
  'au:inline-flex au:h-8 au:items-center au:justify-center au:gap-1.5 au:whitespace-nowrap au:px-3 au:text-[13px] au:font-medium au:leading-none au:select-none ' +
  'au:motion-safe:transition-[background-color,color,box-shadow,opacity] au:motion-safe:duration-150 ' +
  'au:focus-visible:outline-2 au:focus-visible:outline-offset-2 au:focus-visible:outline-focus au:focus-visible:z-10 ' +
  'au:disabled:opacity-40';

const VARIANTS: Record<ButtonVariant, string> = {
  primary:
    'au:rounded-lg au:bg-accent au:text-accent-fg au:shadow-xs au:hover:enabled:brightness-110 au:active:enabled:brightness-95',
  secondary:
    'au:rounded-lg au:border au:border-line au:bg-bg au:text-fg au:shadow-xs au:hover:enabled:bg-subtle',
  // A member of a joined button group: the group draws the outer border and dividers.
  segment: 'au:bg-bg au:text-fg au:hover:enabled:bg-subtle',
};

/** A themed button; `type="button"` unless told otherwise, so it never submits a host form. */
export function Button({
  variant = 'secondary',
  icon,
  className,
  children,
  type,
  ...rest
}: ButtonProps): ReactElement {
  return (
    <button type={type ?? 'button'} className={cx(BASE, VARIANTS[variant], className)} {...rest}>
      {icon}
      {children}
    </button>
  );
}
