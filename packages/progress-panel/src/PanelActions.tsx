import { can, type UploadStatus } from '@atai-upload/engine';
import type { ReactElement } from 'react';
import { Button } from './Button.js';
import { PauseIcon, PlayIcon, RetryIcon, XIcon } from './icons.js';

/** What the panel's buttons do; wire these to the engine's controller (or any store). */
export interface UploadPanelActions {
  pause(): void;
  resume(): void;
  cancel(): void;
  retry(): void;
  /** Discard the conflicting unfinished upload and start again; offered for `upload_conflict`. */
  startOver?(): void;
}

/** Props of {@link PanelActions}. */
export interface PanelActionsProps {
  status: UploadStatus;
  /** Named in each button's accessible label ("Pause data.tar"). */
  fileName: string;
  actions: UploadPanelActions;
}

/**
 * Pause / Resume / Retry as one segmented group plus Cancel, each enabled only when the
 * engine's state machine allows the event, so a click can never request an illegal move.
 * All buttons stay in place (disabled, not hidden) so the layout doesn't jump between states.
 */
export function PanelActions({
  status,
  fileName,
  actions,
}: PanelActionsProps): ReactElement | null {
  const allowed = {
    pause: can(status, 'PAUSE'),
    resume: can(status, 'RESUME'),
    retry: can(status, 'RETRY'),
    cancel: can(status, 'CANCEL'),
  };
  if (!allowed.pause && !allowed.resume && !allowed.retry && !allowed.cancel) return null;
  const segment = 'au:first:rounded-l-lg au:last:rounded-r-lg';
  return (
    <div className="au:flex au:items-center au:gap-2">
      <fieldset className="au:m-0 au:flex au:min-w-0 au:divide-x au:divide-line au:rounded-lg au:border au:border-line au:p-0 au:shadow-xs">
        <legend className="au:sr-only">Upload controls for {fileName}</legend>
        <Button
          variant="segment"
          className={segment}
          icon={<PauseIcon size={14} />}
          disabled={!allowed.pause}
          aria-label={`Pause ${fileName}`}
          onClick={() => actions.pause()}
        >
          Pause
        </Button>
        <Button
          variant="segment"
          className={segment}
          icon={<PlayIcon size={14} />}
          disabled={!allowed.resume}
          aria-label={`Resume ${fileName}`}
          onClick={() => actions.resume()}
        >
          Resume
        </Button>
        <Button
          variant="segment"
          className={segment}
          icon={<RetryIcon size={14} />}
          disabled={!allowed.retry}
          aria-label={`Retry ${fileName}`}
          onClick={() => actions.retry()}
        >
          Retry
        </Button>
      </fieldset>
      <Button
        variant="secondary"
        icon={<XIcon size={14} />}
        disabled={!allowed.cancel}
        aria-label={`Cancel ${fileName}`}
        onClick={() => actions.cancel()}
      >
        Cancel
      </Button>
    </div>
  );
}
