/**
 * One line between the drop zone and the queue, always there and always one line tall, for
 * what picking files led to: files waiting for "Start upload", or files the queue refused.
 * A banner that came and went there would push the whole queue down and up again under the
 * pointer of someone aiming at a Pause or Cancel button; a line of fixed height moves
 * nothing. Long text is cut with an ellipsis; the full text is its tooltip and, for refusals,
 * what the live region announces.
 */
export function PickStatus({
  waiting,
  rejected,
  autoStart,
  onStart,
  onDismiss,
}: {
  waiting: readonly { file: File }[];
  rejected: readonly string[];
  autoStart: boolean;
  onStart: () => void;
  onDismiss: () => void;
}) {
  const ready =
    waiting.length > 0
      ? `${waiting.length} file${waiting.length > 1 ? 's' : ''} ready: ${waiting.map((p) => p.file.name).join(', ')}`
      : '';
  const refused = rejected.join(' ');
  const idle = autoStart
    ? 'Picked files upload at once.'
    : 'Auto-start is off: picked files wait here.';
  const button =
    'shrink-0 rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600';
  return (
    <div className="flex h-12 items-center gap-3 rounded-lg border border-[var(--demo-border)] bg-[var(--demo-card)] px-3 text-sm">
      {/* Refusals are announced even while the line shows the files waiting. */}
      <p
        role="alert"
        className={
          ready || !refused ? 'sr-only' : 'min-w-0 flex-1 truncate text-red-800 dark:text-red-300'
        }
        title={refused || undefined}
      >
        {refused}
      </p>
      {ready ? (
        <>
          <span className="min-w-0 flex-1 truncate" title={ready}>
            {ready}
          </span>
          <button
            type="button"
            className={`${button} bg-blue-600 text-white hover:bg-blue-700`}
            onClick={onStart}
          >
            Start upload
          </button>
        </>
      ) : refused ? (
        <button
          type="button"
          className={`${button} border border-[var(--demo-border)] hover:bg-black/5 dark:hover:bg-white/5`}
          onClick={onDismiss}
        >
          Dismiss
        </button>
      ) : (
        <span className="min-w-0 flex-1 truncate text-[var(--demo-muted)]">{idle}</span>
      )}
    </div>
  );
}
