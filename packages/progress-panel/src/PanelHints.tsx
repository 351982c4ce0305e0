import type { UploadSnapshot } from '@atai-upload/engine';
import type { ReactElement, ReactNode } from 'react';
import { cx } from './cx.js';
import { formatBytes, formatCount } from './format.js';
import {
  HistoryIcon,
  LoaderIcon,
  PauseIcon,
  RefreshIcon,
  RetryIcon,
  WifiOffIcon,
  XIcon,
} from './icons.js';

/** One sub-state line: an icon in the state's colour plus plain text. */
export interface PanelHint {
  /** Stable id of the sub-state (`offline`, `retrying`, `urls`, `resumed`, …). */
  key: string;
  icon: ReactNode;
  /** Text-colour class of the icon. */
  tone: string;
  text: ReactNode;
}

const spin = 'au:motion-safe:animate-spin';

/** The sub-state lines a snapshot calls for, most urgent first. Exported for tests and custom layouts. */
export function panelHints(s: UploadSnapshot): PanelHint[] {
  const hints: PanelHint[] = [];
  const algorithm = s.integrityAlgorithm === 'crc32c' ? 'CRC-32C' : 'checksum';
  if (s.status === 'paused' && s.pauseReason === 'offline') {
    hints.push({
      key: 'offline',
      icon: <WifiOffIcon size={14} />,
      tone: 'au:text-warning',
      text: 'Waiting for the network… The upload continues by itself when the connection is back.',
    });
  } else if (s.status === 'paused' && s.pauseReason === 'auth') {
    hints.push({
      key: 'auth',
      icon: <PauseIcon size={14} />,
      tone: 'au:text-warning',
      text: 'Sign-in needed: the API refused the credentials. Sign in again, then resume; parts already uploaded are kept.',
    });
  } else if (s.status === 'paused') {
    hints.push({
      key: 'paused',
      icon: <PauseIcon size={14} />,
      tone: 'au:text-warning',
      text: 'Paused. Parts already uploaded are kept on the server.',
    });
  }
  if (s.status === 'interrupted' && s.recovery) {
    const r = s.recovery;
    const parts = r.partsOnServer + r.partsHeld;
    const held = `${formatBytes(r.bytesOnServer + r.bytesHeld)} of ${formatBytes(s.file?.size ?? 0)} uploaded (${formatCount(parts)} of ${formatCount(s.numParts)} parts)`;
    hints.push({
      key: 'interrupted',
      icon: <HistoryIcon size={14} />,
      tone: 'au:text-warning',
      text:
        r.handle === 'stored'
          ? `Interrupted: ${held}. Resume reopens the file (the browser may ask to allow access), or pick it again.`
          : `Interrupted: ${held}. Pick or drop the same file to continue; only the missing parts are sent.`,
    });
  }
  if (s.status === 'reopening') {
    hints.push({
      key: 'reopening',
      icon: <LoaderIcon size={14} className={spin} />,
      tone: 'au:text-accent',
      text: 'Reopening the file: allow access if the browser asks',
    });
  }
  if (s.status === 'elsewhere') {
    const paused = s.remote?.status === 'paused';
    hints.push({
      key: 'elsewhere',
      icon: paused ? <PauseIcon size={14} /> : <LoaderIcon size={14} className={spin} />,
      tone: paused ? 'au:text-warning' : 'au:text-accent',
      text: paused
        ? 'Paused in another tab. Resume here or there; if that tab closes, this one takes over.'
        : 'Uploading in another tab of this site; its progress is shown here. If that tab closes, this one takes over.',
    });
  }
  if (s.retryingParts > 0) {
    const n = s.retryingParts;
    hints.push({
      key: 'retrying',
      icon: <RetryIcon size={14} className={spin} />,
      tone: 'au:text-warning',
      text: `Retrying ${formatCount(n)} ${n === 1 ? 'part' : 'parts'} after a failed attempt`,
    });
  }
  if (s.refreshingUrls) {
    hints.push({
      key: 'urls',
      icon: <RefreshIcon size={14} className={spin} />,
      tone: 'au:text-accent',
      text: 'Refreshing upload links',
    });
  }
  if (s.status === 'preparing') {
    hints.push({
      key: 'preparing',
      icon: <LoaderIcon size={14} className={spin} />,
      tone: 'au:text-accent',
      text: 'Checking the file and looking for an earlier upload to resume',
    });
  }
  if (s.status === 'initiating') {
    hints.push({
      key: 'initiating',
      icon: <LoaderIcon size={14} className={spin} />,
      tone: 'au:text-accent',
      text: 'Contacting the server for upload links',
    });
  }
  if (s.status === 'completing') {
    hints.push({
      key: 'completing',
      icon: <LoaderIcon size={14} className={spin} />,
      tone: 'au:text-accent',
      text:
        s.checksum === 'computing'
          ? `Computing the whole-file ${algorithm} to verify the upload…`
          : `Asking storage to assemble ${formatCount(s.numParts)} parts…`,
    });
  }
  if (s.status === 'aborting') {
    hints.push({
      key: 'aborting',
      icon: <LoaderIcon size={14} className={spin} />,
      tone: 'au:text-muted',
      text: 'Cancelling: telling the server to discard the uploaded parts',
    });
  }
  if (s.status === 'aborted') {
    hints.push({
      key: 'aborted',
      icon: <XIcon size={14} />,
      tone: 'au:text-muted',
      text: 'Upload cancelled. Nothing was stored.',
    });
  }
  if (s.isResume && s.resumedBytes > 0 && s.status !== 'completed') {
    hints.push({
      key: 'resumed',
      icon: <HistoryIcon size={14} />,
      tone: 'au:text-accent',
      text: `Resumed: ${formatBytes(s.resumedBytes)} already on the server`,
    });
  }
  return hints;
}

/** Props of {@link PanelHints}. */
export interface PanelHintsProps {
  snapshot: UploadSnapshot;
  /** Show only hints with these keys (see {@link PanelHint.key}). */
  only?: readonly string[];
  /**
   * One line per hint, cut with an ellipsis (the full text is its tooltip), so the hints
   * never take more height than the room kept for them (default false: lines wrap).
   */
  singleLine?: boolean;
}

/** Sub-state lines under the progress bar (offline, retrying, refreshing links, resumed…). */
export function PanelHints({
  snapshot,
  only,
  singleLine = false,
}: PanelHintsProps): ReactElement | null {
  const hints = panelHints(snapshot).filter((h) => !only || only.includes(h.key));
  if (hints.length === 0) return null;
  return (
    <ul data-testid="upload-hints" className="au:flex au:flex-col au:gap-1.5">
      {hints.map((h) => (
        <li
          key={h.key}
          data-hint={h.key}
          className="au:flex au:items-start au:gap-2 au:text-[13px] au:text-fg"
        >
          <span className={cx('au:mt-[3px] au:shrink-0', h.tone)}>{h.icon}</span>
          {singleLine ? (
            <span
              className="au:min-w-0 au:truncate"
              title={typeof h.text === 'string' ? h.text : undefined}
            >
              {h.text}
            </span>
          ) : (
            <span>{h.text}</span>
          )}
        </li>
      ))}
    </ul>
  );
}
