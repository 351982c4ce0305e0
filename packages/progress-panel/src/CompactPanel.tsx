import type { ReactElement } from 'react';
import { cx } from './cx.js';
import { ErrorNotice } from './ErrorNotice.js';
import { EMPTY } from './format.js';
import { FileIcon } from './icons.js';
import { LiveStatus } from './LiveStatus.js';
import { PanelActions } from './PanelActions.js';
import { PanelHints } from './PanelHints.js';
import { PartMap } from './PartMap.js';
import { ProgressBar } from './ProgressBar.js';
import { panelFigures, uploadName } from './panel-figures.js';
import { ResultSummary } from './ResultSummary.js';
import { StatusBadge } from './StatusBadge.js';
import { STATUS_META } from './status.js';
import type { UploadPanelProps } from './UploadPanel.js';

// In a queue only the sub-states that ask for attention earn a line.
const COMPACT_HINTS = ['offline', 'auth', 'retrying', 'urls', 'resumed'] as const;

/** The one-row layout of {@link UploadPanel} (`variant="compact"`), used by queues. */
export function CompactPanel({
  snapshot: s,
  partStates,
  actions,
  showPartMap = false,
  byteStandard = 'iec',
  className,
  theme,
  nameId,
}: UploadPanelProps & { nameId: string }): ReactElement {
  const name = uploadName(s);
  const f = panelFigures(s, byteStandard);
  const meta = STATUS_META[s.status];
  const completed = s.status === 'completed';
  const figures = [
    f.fraction === undefined ? undefined : f.percent,
    f.bytesText,
    f.speed === EMPTY ? undefined : completed ? `${f.speed} avg` : f.speed,
    f.time === EMPTY ? undefined : completed ? `took ${f.time}` : `${f.time} left`,
  ].filter(Boolean);

  return (
    <article
      data-testid="upload-panel"
      data-state={s.status}
      data-variant="compact"
      data-theme={theme}
      aria-labelledby={nameId}
      className={cx(
        'au-root au:@container au:flex au:flex-col au:gap-3 au:rounded-card au:border au:border-line au:bg-bg au:px-4 au:py-3.5 au:shadow-card',
        className,
      )}
    >
      <div className="au:flex au:items-start au:gap-3">
        <div
          aria-hidden="true"
          className="au:flex au:size-9 au:shrink-0 au:items-center au:justify-center au:rounded-lg au:border au:border-line au:bg-subtle au:text-muted"
        >
          <FileIcon size={16} />
        </div>
        <div className="au:flex au:min-w-0 au:flex-1 au:flex-col au:gap-2">
          <div className="au:flex au:min-h-9 au:flex-wrap au:items-center au:gap-x-2.5 au:gap-y-2">
            <p
              id={nameId}
              className="au:min-w-0 au:truncate au:text-sm au:font-semibold au:text-fg"
              title={name}
            >
              {name}
            </p>
            <StatusBadge status={s.status} pauseReason={s.pauseReason} />
            <div className="au:ml-auto">
              <PanelActions status={s.status} fileName={name} actions={actions} compact />
            </div>
          </div>
          <ProgressBar
            value={f.fraction}
            confirmed={f.confirmed}
            label={`Upload progress of ${name}`}
            valueText={f.fraction === undefined ? 'Starting' : f.valueText}
            tone={meta.tone}
            animated={s.status === 'uploading'}
            size="sm"
          />
          <p
            data-testid="upload-figures"
            className="au:truncate au:text-xs au:text-muted au:tabular-nums"
          >
            {figures.join(' · ')}
          </p>
        </div>
      </div>
      <div className="au:flex au:flex-col au:gap-2 au:empty:hidden au:pl-12">
        <PanelHints snapshot={s} only={COMPACT_HINTS} />
        {s.status === 'failed' && s.error && (
          <ErrorNotice
            error={s.error}
            fileName={name}
            onStartOver={actions.startOver ? () => actions.startOver?.() : undefined}
          />
        )}
        <ResultSummary snapshot={s} compact />
        {showPartMap && partStates && (
          <PartMap
            partStates={partStates}
            version={s.partsVersion}
            label="Parts"
            legend={false}
            maxHeight={72}
          />
        )}
      </div>
      <LiveStatus snapshot={s} />
    </article>
  );
}
