import { formatBytes, formatPercent, formatSpeed, ProgressBar } from '@atai-upload/progress-panel';
import { type UploadQueue, useUploadQueueTotals } from '@atai-upload/react';

/** Totals of every file; subscribes on its own so the list does not re-render on ticks. */
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
  return (
    <section
      aria-label="All uploads"
      className="flex flex-wrap items-center gap-x-6 gap-y-3 rounded-xl border border-[var(--demo-border)] bg-[var(--demo-card)] p-4 text-sm"
    >
      <div className="min-w-48 flex-1">
        <ProgressBar
          value={t.fraction}
          label="All uploads"
          valueText={`${formatPercent(t.fraction)} of all files`}
        />
      </div>
      <span>
        {t.files} {t.files === 1 ? 'file' : 'files'} · {t.completed} done · {t.failed} failed
      </span>
      <span className="tabular-nums">
        {formatBytes(t.bytesUploaded)} / {formatBytes(t.bytesTotal)}
        {t.speedBps > 0 && ` · ${formatSpeed(t.speedBps)}`}
      </span>
      <span className="flex gap-2">
        <button
          type="button"
          onClick={onPauseAll}
          className="rounded-md border border-[var(--demo-border)] px-2.5 py-1 hover:bg-black/5 dark:hover:bg-white/5"
        >
          Pause all
        </button>
        <button
          type="button"
          onClick={onResumeAll}
          className="rounded-md border border-[var(--demo-border)] px-2.5 py-1 hover:bg-black/5 dark:hover:bg-white/5"
        >
          Resume all
        </button>
      </span>
    </section>
  );
}
