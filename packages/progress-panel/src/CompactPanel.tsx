import type { ReactElement } from 'react';
import { cx } from './cx.js';
import { ErrorNotice } from './ErrorNotice.js';
import { EMPTY } from './format.js';
import { LiveStatus } from './LiveStatus.js';
import { PanelActions } from './PanelActions.js';
import { PanelHints } from './PanelHints.js';
import { PartMap } from './PartMap.js';
import { panelFigures, uploadName } from './panel-figures.js';
import { FileTile, PanelCard, PanelName, UploadProgress } from './panel-parts.js';
import { RecoveryPicker } from './RecoveryPicker.js';
import { ResultSummary } from './ResultSummary.js';
import { StatusBadge } from './StatusBadge.js';
import type { UploadPanelProps } from './UploadPanel.js';

// In a queue only the sub-states that ask for attention earn a line.
const COMPACT_HINTS = [
  'interrupted',
  'elsewhere',
  'offline',
  'auth',
  'retrying',
  'urls',
  'resumed',
] as const;

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
  const completed = s.status === 'completed';
  const figures = [
    f.fraction === undefined ? undefined : f.percent,
    f.bytesText,
    f.speed === EMPTY ? undefined : completed ? `${f.speed} avg` : f.speed,
    f.time === EMPTY ? undefined : completed ? `took ${f.time}` : `${f.time} left`,
  ].filter(Boolean);

  return (
    <PanelCard
      status={s.status}
      variant="compact"
      theme={theme}
      nameId={nameId}
      className={cx('au:gap-3 au:px-4 au:py-3.5', className)}
    >
      <div className="au:flex au:items-start au:gap-3">
        <FileTile />
        <div className="au:flex au:min-w-0 au:flex-1 au:flex-col au:gap-2">
          <div className="au:flex au:min-h-9 au:flex-wrap au:items-center au:gap-x-2.5 au:gap-y-2">
            <PanelName id={nameId} name={name} className="au:min-w-0" />
            <StatusBadge status={s.status} pauseReason={s.pauseReason} />
            <div className="au:ml-auto">
              <PanelActions
                status={s.status}
                fileName={name}
                actions={actions}
                recovery={s.recovery}
                remote={s.remote}
                compact
              />
            </div>
          </div>
          <UploadProgress snapshot={s} figures={f} name={name} small />
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
        {(s.status === 'failed' || s.status === 'interrupted') && s.error && (
          <ErrorNotice
            error={s.error}
            fileName={name}
            onStartOver={actions.startOver ? () => actions.startOver?.() : undefined}
          />
        )}
        <RecoveryPicker snapshot={s} actions={actions} fileName={name} />
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
    </PanelCard>
  );
}
