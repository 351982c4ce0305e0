import type { UploadActions, UploadSnapshot } from '@atai-upload/engine';
import { type ReactElement, type ReactNode, useId } from 'react';
import { CompactPanel } from './CompactPanel.js';
import { cx } from './cx.js';
import { ErrorNotice } from './ErrorNotice.js';
import { type ByteStandard, EMPTY, formatBytes, formatCount } from './format.js';
import { LiveStatus } from './LiveStatus.js';
import { PanelActions } from './PanelActions.js';
import { PanelHints } from './PanelHints.js';
import { PartMap } from './PartMap.js';
import { panelFigures, uploadName } from './panel-figures.js';
import { FileTile, PanelCard, PanelName, UploadProgress } from './panel-parts.js';
import { RecoveryPicker } from './RecoveryPicker.js';
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
  /**
   * The engine's actions: a controller, or what `useMultipartUpload` returns. Any subset
   * works; a button whose action is missing is not offered.
   */
  actions: Partial<UploadActions>;
  /** Show the part map when `partStates` is given (default true). */
  showPartMap?: boolean;
  /** Byte units: `'iec'` (KiB, GiB; default) or `'si'` (kB, GB). */
  byteStandard?: ByteStandard;
  /**
   * `'full'` (default): a card with figures, hints and footer controls.
   * `'compact'`: one dense row with icon buttons, for queues.
   */
  variant?: 'full' | 'compact';
}

/** Height of the part map's grid in the full panel (cells shrink to fit 32,000 parts). */
const PART_MAP_HEIGHT = 56;

/**
 * Where the error or the result lies over the figures: opaque, from the top, scrolling if
 * taller. A region that can scroll must be reachable by keyboard, so it takes focus (Tab
 * stops on it, arrow keys scroll it) and is named for screen readers.
 */
function OutcomeLayer({ label, children }: { label: string; children: ReactNode }): ReactElement {
  return (
    <section
      aria-label={label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must take focus (WCAG 2.1.1)
      tabIndex={0}
      className="au:absolute au:inset-x-0 au:top-0 au:max-h-full au:overflow-y-auto au:rounded-lg au:bg-bg au:focus-visible:outline-2 au:focus-visible:outline-focus"
    >
      {children}
    </section>
  );
}

// The invisible copy's buttons never run (hidden, so never clicked or focused); each must
// exist, or PanelActions would leave its button out.
const noop = () => false;
const PLACEHOLDER_ACTIONS: Partial<UploadActions> = {
  pause: noop,
  resume: noop,
  retry: noop,
  cancel: async () => false,
};

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
export function UploadPanel(props: UploadPanelProps): ReactElement {
  const nameId = useId();
  if (props.variant === 'compact') return <CompactPanel {...props} nameId={nameId} />;
  const {
    snapshot: s,
    partStates,
    actions,
    showPartMap = true,
    byteStandard = 'iec',
    className,
    theme,
  } = props;
  const name = uploadName(s);
  const f = panelFigures(s, byteStandard);
  const meta = STATUS_META[s.status];
  const facts = s.file
    ? `${formatBytes(s.file.size, { standard: byteStandard })} · ${s.file.type || 'Unknown type'}`
    : 'No file selected';
  const partFacts =
    s.numParts > 0
      ? `${formatCount(s.numParts)} parts of ${formatBytes(s.partSize, { standard: byteStandard })}`
      : meta.label;

  return (
    <PanelCard
      status={s.status}
      theme={theme}
      nameId={nameId}
      className={cx('au:gap-5 au:overflow-hidden', className)}
    >
      <div className="au:flex au:flex-col au:gap-5 au:px-5 au:pt-5">
        <header className="au:flex au:items-start au:gap-3">
          <FileTile large />
          <div className="au:flex au:min-w-0 au:flex-1 au:flex-col au:gap-0.5">
            <PanelName id={nameId} name={name} />
            <p className="au:truncate au:text-xs au:text-muted">{facts}</p>
          </div>
          <StatusBadge status={s.status} pauseReason={s.pauseReason} />
        </header>

        <div className="au:flex au:flex-col au:gap-2.5">
          {/* Left-aligned from a fixed start: the percent gets room for "100%", so neither
              figure moves the other as they tick (right-aligned text would move every tick). */}
          <div className="au:flex au:items-baseline au:gap-3">
            <span
              data-testid="upload-percent"
              className="au:min-w-[4.5ch] au:shrink-0 au:text-[28px] au:leading-none au:font-semibold au:tracking-tight au:text-fg au:tabular-nums"
            >
              {f.fraction === undefined ? EMPTY : f.percent}
            </span>
            <span
              data-testid="upload-bytes"
              className="au:min-w-0 au:truncate au:text-[13px] au:text-muted au:tabular-nums"
            >
              {f.bytesText}
            </span>
          </div>
          <UploadProgress snapshot={s} figures={f} name={name} />
        </div>

        {/* The figures, the hints and the part map keep one height for the whole upload, so
            the controls below never move under the pointer: the error or the result, shown
            once the upload has stopped, is laid over them (from the top, scrolling within
            should it be taller) instead of pushing them and the footer down. */}
        <div className="au:relative au:flex au:flex-col au:gap-5">
          <dl className="au:grid au:grid-cols-2 au:gap-x-4 au:gap-y-3 au:@md:grid-cols-4">
            <Stat label={f.speedLabel} value={f.speed} testId="upload-speed" />
            <Stat label={f.timeLabel} value={f.time} testId="upload-eta" />
            <Stat label="Parts" value={f.parts} testId="upload-parts" />
            <Stat label={f.checksumLabel} value={f.checksum} testId="upload-checksum" />
          </dl>

          {/* Room for two sub-state hints (13 px lines at line-height 1.5 plus the list's 6 px
              gap), no more and no less: one line each, cut on a narrow card, so a hint that
              comes and goes (starting, retrying, refreshing links) never moves what is below. */}
          <div className="au:flex au:h-[calc(3*13px_+_0.375rem)] au:flex-col au:overflow-hidden">
            <PanelHints snapshot={s} singleLine />
          </div>

          {showPartMap && partStates && (
            <div className="au:rounded-lg au:border au:border-line au:p-3.5">
              {/* A fixed grid height: "No parts yet" and the grid of any part count are
                  equally tall, so learning the part count does not grow the card. */}
              <PartMap
                partStates={partStates}
                version={s.partsVersion}
                label="Parts"
                fixedHeight={PART_MAP_HEIGHT}
              />
            </div>
          )}

          {s.status === 'failed' && s.error ? (
            <OutcomeLayer label={`Why ${name} failed`}>
              <ErrorNotice
                error={s.error}
                fileName={name}
                onStartOver={actions.startOver ? () => actions.startOver?.() : undefined}
              />
            </OutcomeLayer>
          ) : s.status === 'interrupted' ? (
            // How to go on: the whole explanation, why a reopen failed, and the file picker.
            <OutcomeLayer label={`Resume ${name}`}>
              <div className="au:flex au:flex-col au:gap-3">
                <PanelHints snapshot={s} only={['interrupted']} />
                {s.error && <ErrorNotice error={s.error} fileName={name} />}
                <RecoveryPicker snapshot={s} actions={actions} fileName={name} />
              </div>
            </OutcomeLayer>
          ) : s.status === 'completed' && s.result ? (
            <OutcomeLayer label={`Result of ${name}`}>
              <ResultSummary snapshot={s} />
            </OutcomeLayer>
          ) : null}
        </div>
      </div>

      <footer className="au:flex au:min-h-14 au:flex-wrap au:items-center au:justify-between au:gap-3 au:border-t au:border-line au:bg-subtle/60 au:px-5 au:py-3">
        {/* Below the panel's @md width the controls always take a line of their own, so the
            facts growing from "Starting" to "1,280 parts of 8.0 MiB" never re-wraps them. */}
        <span className="au:w-full au:text-xs au:text-muted au:tabular-nums au:@md:w-auto">
          {partFacts}
        </span>
        {/* The controls' room is held by an invisible copy of the running set (same buttons,
            same wrapping at this width), so the footer keeps its height when the controls
            change or go once the upload ends: nothing above the next card moves. */}
        <div className="au:grid">
          <div aria-hidden="true" className="au:invisible au:col-start-1 au:row-start-1">
            <PanelActions status="uploading" fileName={name} actions={PLACEHOLDER_ACTIONS} />
          </div>
          <div className="au:col-start-1 au:row-start-1">
            <PanelActions
              status={s.status}
              fileName={name}
              actions={actions}
              recovery={s.recovery}
              remote={s.remote}
            />
          </div>
        </div>
      </footer>
      <LiveStatus snapshot={s} />
    </PanelCard>
  );
}
