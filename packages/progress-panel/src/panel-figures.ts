import type { ChecksumStatus, UploadSnapshot } from '@atai-upload/engine';
import {
  type ByteStandard,
  EMPTY,
  formatBytes,
  formatCount,
  formatDuration,
  formatPercent,
  formatSpeed,
} from './format.js';

const CHECKSUM_TEXT: Record<ChecksumStatus, string> = {
  disabled: 'Off',
  computing: 'Computing…',
  ready: 'Ready',
  verified: 'Verified',
  unavailable: 'Not computed',
};

/** The formatted figures an {@link UploadPanel} shows. */
export interface PanelFigures {
  /** Bytes to upload in all. */
  total: number;
  /** Bytes sent (all of them once completed). */
  done: number;
  /** 0…1, or `undefined` while the upload has not started moving bytes. */
  fraction: number | undefined;
  /** 0…1 confirmed by storage. */
  confirmed: number;
  percent: string;
  /** "1.2 GiB of 3.0 GiB". */
  bytesText: string;
  /** "42% — 1.2 GiB of 3.0 GiB", the progress bar's `aria-valuetext`. */
  valueText: string;
  speedLabel: string;
  speed: string;
  timeLabel: string;
  time: string;
  parts: string;
  /** "CRC-32C" when the server asked for it, else "Checksum". */
  checksumLabel: string;
  checksum: string;
}

/** The figures the panel shows, derived once per render. Exported for custom layouts. */
export function panelFigures(s: UploadSnapshot, standard: ByteStandard = 'iec'): PanelFigures {
  const p = s.progress;
  const bytes = (n: number) => formatBytes(n, { standard });
  const total = p.bytesTotal || s.file?.size || 0;
  const completed = s.status === 'completed';
  const done = completed ? total : p.bytesUploaded;
  const fraction = completed ? 1 : p.fraction;
  const elapsed =
    s.startedAt !== undefined && s.finishedAt !== undefined
      ? s.finishedAt - s.startedAt
      : undefined;
  // In another tab: the figures are that tab's, mirrored.
  const moving =
    s.status === 'uploading' || (s.status === 'elsewhere' && s.remote?.status === 'uploading');
  const waiting = (s.status === 'preparing' || s.status === 'initiating') && p.bytesUploaded === 0;
  const percent = formatPercent(fraction);
  return {
    total,
    done,
    fraction: waiting ? undefined : fraction,
    confirmed: completed ? 1 : total > 0 ? p.bytesConfirmed / total : 0,
    percent,
    bytesText: `${bytes(done)} of ${bytes(total)}`,
    valueText: `${percent} — ${bytes(done)} of ${bytes(total)}`,
    speedLabel: completed ? 'Average speed' : 'Speed',
    speed: completed
      ? elapsed && elapsed > 0
        ? formatSpeed((total / elapsed) * 1000, { standard })
        : EMPTY
      : moving && p.speedBps > 0
        ? formatSpeed(p.speedBps, { standard })
        : EMPTY,
    timeLabel: completed ? 'Took' : 'Time left',
    time: completed ? formatDuration(elapsed) : moving ? formatDuration(p.etaMs) : EMPTY,
    parts: s.recovery
      ? `${formatCount(s.recovery.partsOnServer + s.recovery.partsHeld)} / ${formatCount(s.numParts)}`
      : p.partsTotal > 0
        ? `${formatCount(p.partsDone)} / ${formatCount(p.partsTotal)}`
        : EMPTY,
    checksumLabel: s.integrityAlgorithm === 'crc32c' ? 'CRC-32C' : 'Checksum',
    // Not known before the upload goes on (the server says at initiate).
    checksum:
      s.status === 'interrupted' || s.status === 'reopening' ? EMPTY : CHECKSUM_TEXT[s.checksum],
  };
}

/** The file's name shown in headings, labels and announcements. */
export function uploadName(snapshot: UploadSnapshot): string {
  return snapshot.file?.name ?? 'Untitled upload';
}
