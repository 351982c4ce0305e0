/** Forces a colour theme on a component; without it the page's `prefers-color-scheme` decides. */
export type Theme = 'light' | 'dark';

/** Props every component accepts on its root element. */
export interface BaseProps {
  /** Extra classes for the root element. */
  className?: string;
  /** Forces light or dark colours (sets `data-theme` on the root). */
  theme?: Theme;
}
