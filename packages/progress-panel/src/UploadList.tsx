import type { UploadActions, UploadSnapshot, UploadStatus } from '@atai-upload/engine';
import type { ReactElement } from 'react';
import { cx } from './cx.js';
import { type ByteStandard, formatBytes, formatCount, formatPercent } from './format.js';
import { ProgressBar } from './ProgressBar.js';
import { TONE_FILL } from './StatusBadge.js';
import { STATUS_META, STATUS_SUMMARY_ORDER } from './status.js';
import type { BaseProps } from './theme.js';
import { UploadPanel } from './UploadPanel.js';

/** One file of an {@link UploadList}. */
export interface UploadListItem {
  snapshot: UploadSnapshot;
  partStates?: Uint8Array;
  actions: Partial<UploadActions>;
}

/** Props of {@link UploadList}. */
export interface UploadListProps extends BaseProps {
  items: readonly UploadListItem[];
  /** Heading of the list (default "Uploads"). */
  title?: string;
  /** Show each file's part map when it has `partStates` (default false: a queue stays compact). */
  showPartMaps?: boolean;
  /** Layout of each file's panel (default `'compact'`). */
  variant?: 'full' | 'compact';
  byteStandard?: ByteStandard;
}

/** Totals over a queue of uploads. */
export interface UploadTotals {
  files: number;
  bytesDone: number;
  bytesTotal: number;
  /** `bytesDone / bytesTotal`, 0 when there is nothing to upload. */
  fraction: number;
  /** How many files are in each status. */
  byStatus: Partial<Record<UploadStatus, number>>;
}

/** Sums bytes and counts statuses; cancelled files are left out of the byte totals. */
export function uploadTotals(snapshots: readonly UploadSnapshot[]): UploadTotals {
  let bytesDone = 0;
  let bytesTotal = 0;
  const byStatus: Partial<Record<UploadStatus, number>> = {};
  for (const s of snapshots) {
    byStatus[s.status] = (byStatus[s.status] ?? 0) + 1;
    if (s.status === 'aborted' || s.status === 'aborting') continue;
    const total = s.progress.bytesTotal || s.file?.size || 0;
    bytesTotal += total;
    bytesDone += s.status === 'completed' ? total : Math.min(total, s.progress.bytesUploaded);
  }
  return {
    files: snapshots.length,
    bytesDone,
    bytesTotal,
    fraction: bytesTotal > 0 ? bytesDone / bytesTotal : 0,
    byStatus,
  };
}

/**
 * Several uploads: a header with totals (files, bytes, overall progress, count per state)
 * over one {@link UploadPanel} per file.
 */
export function UploadList({
  items,
  title = 'Uploads',
  showPartMaps = false,
  variant = 'compact',
  byteStandard = 'iec',
  className,
  theme,
}: UploadListProps): ReactElement {
  const totals = uploadTotals(items.map((i) => i.snapshot));
  const bytes = (n: number) => formatBytes(n, { standard: byteStandard });
  const percent = formatPercent(totals.fraction);
  const allDone = totals.files > 0 && totals.byStatus.completed === totals.files;
  return (
    <section
      data-testid="upload-list"
      data-theme={theme}
      aria-label={title}
      className={cx('au-root au:flex au:flex-col au:gap-3', className)}
    >
      <div className="au:flex au:flex-col au:gap-3 au:rounded-card au:border au:border-line au:bg-bg au:p-5 au:shadow-card">
        <div className="au:flex au:flex-wrap au:items-baseline au:justify-between au:gap-x-4 au:gap-y-1">
          <p className="au:text-sm au:font-semibold au:text-fg">
            {title}
            <span className="au:ml-2 au:font-normal au:text-muted" data-testid="upload-list-files">
              {formatCount(totals.files)} {totals.files === 1 ? 'file' : 'files'}
            </span>
          </p>
          <p
            className="au:text-[13px] au:text-muted au:tabular-nums"
            data-testid="upload-list-bytes"
          >
            <span className="au:font-medium au:text-fg">{percent}</span> · {bytes(totals.bytesDone)}{' '}
            of {bytes(totals.bytesTotal)}
          </p>
        </div>
        <ProgressBar
          value={totals.fraction}
          label={`Overall progress of ${formatCount(totals.files)} uploads`}
          valueText={`${percent} — ${bytes(totals.bytesDone)} of ${bytes(totals.bytesTotal)}`}
          tone={allDone ? 'success' : 'active'}
          size="sm"
        />
        <ul
          className="au:flex au:flex-wrap au:gap-x-4 au:gap-y-1 au:text-xs au:text-muted"
          aria-label="Files by state"
        >
          {STATUS_SUMMARY_ORDER.filter((st) => totals.byStatus[st]).map((st) => (
            <li key={st} className="au:inline-flex au:items-center au:gap-1.5">
              <span
                aria-hidden="true"
                className={cx('au:size-1.5 au:rounded-full', TONE_FILL[STATUS_META[st].tone])}
              />
              <span className="au:font-medium au:text-fg au:tabular-nums">
                {formatCount(totals.byStatus[st])}
              </span>
              {STATUS_META[st].label.toLowerCase()}
            </li>
          ))}
        </ul>
      </div>
      {items.length === 0 ? (
        <p className="au:rounded-card au:border au:border-dashed au:border-line au:p-6 au:text-center au:text-[13px] au:text-muted">
          No uploads yet
        </p>
      ) : (
        <ul className="au:flex au:flex-col au:gap-3">
          {items.map((item) => (
            <li key={item.snapshot.id}>
              <UploadPanel
                snapshot={item.snapshot}
                partStates={item.partStates}
                actions={item.actions}
                showPartMap={showPartMaps}
                variant={variant}
                byteStandard={byteStandard}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
