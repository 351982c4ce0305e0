import { formatBytes, formatPercent, formatSpeed, ProgressBar } from '@atai-upload/progress-panel';
import { type UploadQueue, useUploadQueueTotals } from '@atai-upload/react';

/**
 * Totals of every file; subscribes on its own so the list does not re-render on ticks.
 *
 * Laid out so that nothing moves while the figures tick: the bar and the buttons share the
 * first row (the buttons at its end, the bar taking what is left), and the figures sit below
 * in fixed halves (stacked on phones), each one line that truncates instead of wrapping.
 */
export function QueueSummary({
  queue,
  onPauseAll,
  onResumeAll,
}: {
  queue: UploadQueue;
  onPauseAll: () => void;
  onResumeAll: () => void;
}) {
  const t = useUploadQueueTotals(queue);
  const counts = `${t.files} ${t.files === 1 ? 'file' : 'files'} · ${t.completed} done · ${t.failed} failed`;
  const bytes = `${formatBytes(t.bytesUploaded)} / ${formatBytes(t.bytesTotal)}${
    t.speedBps > 0 ? ` · ${formatSpeed(t.speedBps)}` : ''
  }`;
  return (
    <section
      aria-label="All uploads"
      className="flex flex-col gap-3 rounded-xl border border-[var(--demo-border)] bg-[var(--demo-card)] p-4 text-sm tabular-nums"
    >
      <div className="flex items-center gap-4">
        <div className="min-w-0 flex-1">
          <ProgressBar
            value={t.fraction}
            label="All uploads"
            valueText={`${formatPercent(t.fraction)} of all files`}
          />
        </div>
        <span className="flex shrink-0 gap-2">
          <QueueButton onClick={onPauseAll} disabled={t.pausable === 0}>
            Pause all
          </QueueButton>
          <QueueButton onClick={onResumeAll} disabled={t.resumable === 0}>
            Resume all
          </QueueButton>
        </span>
      </div>
      <div className="grid gap-x-4 gap-y-1 sm:grid-cols-2">
        <span className="truncate" title={counts}>
          {counts}
        </span>
        <span className="truncate" title={bytes}>
          {bytes}
        </span>
      </div>
    </section>
  );
}

/** A queue-wide action, disabled while the state table allows it for no upload. */
function QueueButton({
  onClick,
  disabled,
  children,
}: {
  onClick: () => void;
  disabled: boolean;
  children: string;
}) {
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={disabled}
      className="rounded-md border border-[var(--demo-border)] px-2.5 py-1 whitespace-nowrap hover:bg-black/5 disabled:opacity-40 disabled:hover:bg-transparent dark:hover:bg-white/5"
    >
      {children}
    </button>
  );
}
