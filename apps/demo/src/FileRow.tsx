import { UploadPanel } from '@atai-upload/progress-panel';
import { type UploadController, useUploadSelector } from '@atai-upload/react';

/** One file: the panel, fed from that upload's store only (other files' ticks don't re-render it). */
export function FileRow({
  controller,
  onRemove,
}: {
  controller: UploadController;
  onRemove: () => void;
}) {
  const snapshot = useUploadSelector(controller, (s) => s);
  const final = snapshot.status === 'completed' || snapshot.status === 'aborted';
  return (
    <div className="relative">
      <UploadPanel snapshot={snapshot} partStates={controller.partStates} actions={controller} />
      {final && (
        <button
          type="button"
          onClick={onRemove}
          className="absolute right-4 bottom-3 rounded-md border border-[var(--demo-border)] bg-[var(--demo-card)] px-2.5 py-1 text-xs text-[var(--demo-muted)] hover:bg-black/5 dark:hover:bg-white/5"
          aria-label={`Remove ${snapshot.file?.name ?? 'upload'} from the list`}
        >
          Remove
        </button>
      )}
    </div>
  );
}
