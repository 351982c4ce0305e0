import {
  can,
  type RecoveryInfo,
  type RemoteUploadView,
  type UploadActions,
  type UploadStatus,
} from '@atai-upload/engine';
import type { ReactElement, ReactNode } from 'react';
import { Button } from './Button.js';
import { cx } from './cx.js';
import { PauseIcon, PlayIcon, RetryIcon, XIcon } from './icons.js';

/** Props of {@link PanelActions}. */
export interface PanelActionsProps {
  status: UploadStatus;
  /** Named in each button's accessible label ("Pause data.tar"). */
  fileName: string;
  /**
   * The engine's actions (a controller, or what `useMultipartUpload` returns). A button whose
   * action is missing is left disabled.
   */
  actions: Partial<UploadActions>;
  /** Icon-only buttons; the action and file stay in each accessible label, the action in a tooltip. */
  compact?: boolean;
  /** The snapshot's `recovery`: an interrupted upload resumes with a button only when a file handle is stored. */
  recovery?: RecoveryInfo | undefined;
  /** The snapshot's `remote`: in another tab, the buttons ask that tab, as its status allows. */
  remote?: RemoteUploadView | undefined;
}

type Action = 'pause' | 'resume' | 'retry' | 'cancel';

const CONTROLS: Record<
  Action,
  { label: string; event: 'PAUSE' | 'RESUME' | 'RETRY' | 'CANCEL'; icon: ReactNode }
> = {
  pause: { label: 'Pause', event: 'PAUSE', icon: <PauseIcon size={14} /> },
  resume: { label: 'Resume', event: 'RESUME', icon: <PlayIcon size={14} /> },
  retry: { label: 'Retry', event: 'RETRY', icon: <RetryIcon size={14} /> },
  cancel: { label: 'Cancel', event: 'CANCEL', icon: <XIcon size={14} /> },
};

/**
 * Pause / Resume / Retry as one segmented group plus Cancel, each enabled only when the
 * engine's state machine allows the event, so a click can never request an illegal move.
 * The buttons stay in place (disabled, not hidden) so the layout doesn't jump between states;
 * when no event is legal at all (completed, cancelled) the controls are left out.
 */
export function PanelActions({
  status,
  fileName,
  actions,
  compact = false,
  recovery,
  remote,
}: PanelActionsProps): ReactElement | null {
  const allowed = (action: Action) => {
    const event = CONTROLS[action].event;
    // Another tab owns the upload: pause, resume and cancel are carried out there.
    if (status === 'elsewhere')
      return remote !== undefined && action !== 'retry' && can(remote.status, event);
    // The table guards this resume on a stored handle; without one the file must be picked.
    if (status === 'interrupted' && action === 'resume') return recovery?.handle === 'stored';
    return can(status, event);
  };
  const legal = (action: Action) => actions[action] !== undefined && allowed(action);
  if (!(['pause', 'resume', 'retry', 'cancel'] as const).some(legal)) return null;

  const control = (
    action: Action,
    variant: 'segment' | 'secondary',
    className?: string,
  ): ReactElement => {
    const { icon } = CONTROLS[action];
    // Cancelling an interrupted upload throws its server parts away: say so.
    const label =
      action === 'cancel' && status === 'interrupted' ? 'Discard' : CONTROLS[action].label;
    return (
      <Button
        variant={variant}
        icon={icon}
        disabled={!legal(action)}
        aria-label={`${label} ${fileName}`}
        title={compact ? label : undefined}
        className={cx(compact && 'au:w-8 au:px-0 au:[&_svg]:size-4', className)}
        onClick={() => void actions[action]?.()}
      >
        {compact ? null : label}
      </Button>
    );
  };

  // first-of-type: the <legend> is the fieldset's first child.
  const segment = 'au:first-of-type:rounded-l-lg au:last-of-type:rounded-r-lg';
  // Wraps (Cancel under the group) when the panel is too narrow for one row: the buttons'
  // widths never change, so where they sit depends on the panel's width alone.
  return (
    <div className="au:flex au:flex-wrap au:items-center au:gap-2">
      <fieldset className="au:m-0 au:flex au:min-w-0 au:divide-x au:divide-line au:rounded-lg au:border au:border-line au:p-0 au:shadow-xs">
        <legend className="au:sr-only">Upload controls for {fileName}</legend>
        {control('pause', 'segment', segment)}
        {control('resume', 'segment', segment)}
        {control('retry', 'segment', segment)}
      </fieldset>
      {control('cancel', 'secondary')}
    </div>
  );
}
