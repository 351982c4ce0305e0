import type { ChecksumStatus, UploadSnapshot } from '@atai-upload/engine';
import { type ReactElement, useId } from 'react';
import { cx } from './cx.js';
import { ErrorNotice } from './ErrorNotice.js';
import {
  type ByteStandard,
  EMPTY,
  formatBytes,
  formatCount,
  formatDuration,
  formatPercent,
  formatSpeed,
} from './format.js';
import { FileIcon } from './icons.js';
import { LiveStatus } from './LiveStatus.js';
import { PanelActions, type UploadPanelActions } from './PanelActions.js';
import { PanelHints } from './PanelHints.js';
import { PartMap } from './PartMap.js';
import { ProgressBar } from './ProgressBar.js';
import { ResultSummary } from './ResultSummary.js';
import { StatusBadge } from './StatusBadge.js';
import { STATUS_META } from './status.js';
import type { BaseProps } from './theme.js';

/** Props of {@link UploadPanel}. */
export interface UploadPanelProps extends BaseProps {
  /** The engine's state for one upload (or any object of that shape). */
  snapshot: UploadSnapshot;
  /** Per-part states (one byte per part); when given, the panel shows a {@link PartMap}. */
  partStates?: Uint8Array;
  actions: UploadPanelActions;
  /** Show the part map when `partStates` is given (default true). */
  showPartMap?: boolean;
  /** Byte units: `'iec'` (KiB, GiB; default) or `'si'` (kB, GB). */
  byteStandard?: ByteStandard;
}

const CHECKSUM_TEXT: Record<ChecksumStatus, string> = {
  disabled: 'Off',
  pending: 'Pending',
  computing: 'Computing…',
  ready: 'Ready',
  verified: 'Verified',
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
  const moving = s.status === 'uploading';
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
    parts: p.partsTotal > 0 ? `${formatCount(p.partsDone)} / ${formatCount(p.partsTotal)}` : EMPTY,
    checksum:
      s.checksum === 'disabled'
        ? 'Off'
        : `${s.integrityAlgorithm === 'crc32c' ? 'CRC-32C · ' : ''}${CHECKSUM_TEXT[s.checksum]}`,
  };
}

function Stat({
  label,
  value,
  testId,
}: {
  label: string;
  value: string;
  testId: string;
}): ReactElement {
  return (
    <div className="au:flex au:min-w-0 au:flex-col au:gap-0.5">
      <dt className="au:text-[11px] au:font-medium au:tracking-wide au:text-muted au:uppercase">
        {label}
      </dt>
      <dd
        data-testid={testId}
        className="au:truncate au:text-[13px] au:font-medium au:text-fg au:tabular-nums"
      >
        {value}
      </dd>
    </div>
  );
}

/**
 * One upload, start to finish: file facts, a state badge, progress with bytes, parts, speed
 * and time left, sub-state hints, the error with advice, the stored result, an optional part
 * map and the controls. Stateless: it renders `snapshot` and calls `actions`, so it works with
 * the engine's zustand store or any other. The root carries `data-state={snapshot.status}`.
 */
export function UploadPanel({
  snapshot,
  partStates,
  actions,
  showPartMap = true,
  byteStandard = 'iec',
  className,
  theme,
}: UploadPanelProps): ReactElement {
  const nameId = useId();
  const s = snapshot;
  const name = s.file?.name ?? 'Untitled upload';
  const f = panelFigures(s, byteStandard);
  const meta = STATUS_META[s.status];
  const facts = [
    s.file ? formatBytes(s.file.size, { standard: byteStandard }) : undefined,
    s.file ? s.file.type || 'Unknown type' : undefined,
  ].filter(Boolean);
  const partFacts =
    s.numParts > 0
      ? `${formatCount(s.numParts)} parts of ${formatBytes(s.partSize, { standard: byteStandard })}`
      : undefined;

  return (
    <article
      data-testid="upload-panel"
      data-state={s.status}
      data-theme={theme}
      aria-labelledby={nameId}
      className={cx(
        'au-root au:@container au:flex au:flex-col au:gap-4 au:rounded-card au:border au:border-line au:bg-bg au:p-5 au:shadow-card',
        className,
      )}
    >
      <header className="au:flex au:items-start au:gap-3">
        <div
          aria-hidden="true"
          className="au:flex au:size-10 au:shrink-0 au:items-center au:justify-center au:rounded-lg au:border au:border-line au:bg-subtle au:text-muted"
        >
          <FileIcon size={18} />
        </div>
        <div className="au:flex au:min-w-0 au:flex-1 au:flex-col au:gap-0.5">
          <p
            id={nameId}
            className="au:truncate au:text-sm au:font-semibold au:text-fg"
            title={name}
          >
            {name}
          </p>
          <p className="au:truncate au:text-xs au:text-muted">
            {facts.join(' · ') || 'No file selected'}
          </p>
        </div>
        <StatusBadge status={s.status} pauseReason={s.pauseReason} />
      </header>

      <div className="au:flex au:flex-col au:gap-2">
        <div className="au:flex au:items-baseline au:justify-between au:gap-3">
          <span
            data-testid="upload-percent"
            className="au:text-2xl au:font-semibold au:tracking-tight au:text-fg au:tabular-nums"
          >
            {f.fraction === undefined ? EMPTY : f.percent}
          </span>
          <span
            data-testid="upload-bytes"
            className="au:truncate au:text-[13px] au:text-muted au:tabular-nums"
          >
            {f.bytesText}
          </span>
        </div>
        <ProgressBar
          value={f.fraction}
          confirmed={f.confirmed}
          label={`Upload progress of ${name}`}
          valueText={f.fraction === undefined ? 'Starting' : f.valueText}
          tone={meta.tone === 'neutral' && s.status !== 'idle' ? 'neutral' : meta.tone}
          animated={s.status === 'uploading'}
        />
      </div>

      <dl className="au:grid au:grid-cols-2 au:gap-x-4 au:gap-y-3 au:@md:grid-cols-4">
        <Stat label={f.speedLabel} value={f.speed} testId="upload-speed" />
        <Stat label={f.timeLabel} value={f.time} testId="upload-eta" />
        <Stat label="Parts" value={f.parts} testId="upload-parts" />
        <Stat label="Integrity" value={f.checksum} testId="upload-checksum" />
      </dl>

      <PanelHints snapshot={s} />
      {s.status === 'failed' && s.error && (
        <ErrorNotice
          error={s.error}
          fileName={name}
          onStartOver={actions.startOver?.bind(actions)}
        />
      )}
      <ResultSummary snapshot={s} />

      {showPartMap && partStates && (
        <div className="au:rounded-lg au:border au:border-line au:p-3">
          <PartMap partStates={partStates} version={s.partsVersion} label="Parts" />
        </div>
      )}

      <footer className="au:-mx-5 au:-mb-5 au:flex au:flex-wrap au:items-center au:justify-between au:gap-3 au:rounded-b-card au:border-t au:border-line au:bg-subtle/50 au:px-5 au:py-3">
        <span className="au:text-xs au:text-muted au:tabular-nums">{partFacts ?? meta.label}</span>
        <PanelActions status={s.status} fileName={name} actions={actions} />
      </footer>
      <LiveStatus snapshot={s} />
    </article>
  );
}
