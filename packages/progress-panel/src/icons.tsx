import type { ReactElement, ReactNode, SVGProps } from 'react';

/** Props of the built-in icons: any SVG attribute; `size` in CSS pixels (default 16). */
export type IconProps = SVGProps<SVGSVGElement> & { size?: number };

/** The shared 24×24 stroked frame of every icon; decorative, so hidden from assistive tech. */
function Svg({ size = 16, children, ...rest }: IconProps & { children: ReactNode }): ReactElement {
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...rest}
    >
      {children}
    </svg>
  );
}

// Decorative line icons in the Feather/Lucide style (drawn here, no icon dependency).
/** Decorative pause icon. */
export function PauseIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <rect x="6" y="5" width="4" height="14" rx="1" />
      <rect x="14" y="5" width="4" height="14" rx="1" />
    </Svg>
  );
}
/** Decorative play icon. */
export function PlayIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <path d="M7 4.5v15a1 1 0 0 0 1.5.86l12-7.5a1 1 0 0 0 0-1.72l-12-7.5A1 1 0 0 0 7 4.5Z" />
    </Svg>
  );
}
/** Decorative x icon. */
export function XIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <path d="M18 6 6 18M6 6l12 12" />
    </Svg>
  );
}
/** Decorative retry icon. */
export function RetryIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <path d="M3 12a9 9 0 1 0 3-6.7L3 8" />
      <path d="M3 3v5h5" />
    </Svg>
  );
}
/** Decorative refresh icon. */
export function RefreshIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <path d="M21 12a9 9 0 0 0-15-6.7L3 8" />
      <path d="M3 3v5h5" />
      <path d="M3 12a9 9 0 0 0 15 6.7l3-2.7" />
      <path d="M16 16h5v5" />
    </Svg>
  );
}
/** Decorative upload cloud icon. */
export function UploadCloudIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <path d="M4 14.9A7 7 0 1 1 15.7 8h1.8a4.5 4.5 0 0 1 2.5 8.2" />
      <path d="M12 12v9" />
      <path d="m16 16-4-4-4 4" />
    </Svg>
  );
}
/** Decorative file icon. */
export function FileIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <path d="M15 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V7Z" />
      <path d="M14 2v4a2 2 0 0 0 2 2h4" />
    </Svg>
  );
}
/** Decorative check icon. */
export function CheckIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <path d="M20 6 9 17l-5-5" />
    </Svg>
  );
}
/** Decorative shield check icon. */
export function ShieldCheckIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <path d="M20 13c0 5-3.5 7.5-7.66 8.95a1 1 0 0 1-.67-.01C7.5 20.5 4 18 4 13V6a1 1 0 0 1 1-1c2 0 4.5-1.2 6.24-2.72a1.17 1.17 0 0 1 1.52 0C14.51 3.81 17 5 19 5a1 1 0 0 1 1 1Z" />
      <path d="m9 12 2 2 4-4" />
    </Svg>
  );
}
/** Decorative alert icon. */
export function AlertIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <circle cx="12" cy="12" r="10" />
      <path d="M12 8v4M12 16h.01" />
    </Svg>
  );
}
/** Decorative wifi off icon. */
export function WifiOffIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <path d="M12 20h.01M8.5 16.4a5 5 0 0 1 7 0M5 12.86a10 10 0 0 1 5.17-2.69M19 12.86a10 10 0 0 0-2-1.5M2 8.82a15 15 0 0 1 4.18-2.65M22 8.82a15 15 0 0 0-11.29-3.76" />
      <path d="m2 2 20 20" />
    </Svg>
  );
}
/** Decorative history icon. */
export function HistoryIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <path d="M3 12a9 9 0 1 0 9-9 9.75 9.75 0 0 0-6.74 2.74L3 8" />
      <path d="M3 3v5h5" />
      <path d="M12 7v5l4 2" />
    </Svg>
  );
}
/** Decorative loader icon. */
export function LoaderIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <path d="M21 12a9 9 0 1 1-6.22-8.56" />
    </Svg>
  );
}
