import {
  can,
  transition,
  UploadError,
  type UploadEventType,
  type UploadSnapshot,
} from '@atai-upload/engine';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { type ReactElement, useState } from 'react';
import { expect, type fn, waitFor } from 'storybook/test';
import { type FixtureName, fixtures } from '../fixtures.js';
import { UploadPanel } from '../UploadPanel.js';
import { Narrow, spyActions } from './helpers.js';

const meta = {
  title: 'Progress panel/UploadPanel',
  component: UploadPanel,
  args: { snapshot: fixtures.uploading.snapshot, actions: spyActions() },
} satisfies Meta<typeof UploadPanel>;

export default meta;
type Story = StoryObj<typeof meta>;

// A map of 30,000 identical cells says nothing: these states show the panel without one.
const NO_PART_MAP: ReadonlySet<FixtureName> = new Set(['completing', 'completed', 'failedCorrupt']);

/** A story of one fixture; part states stay out of `args` (30,000 bytes in the controls panel helps no one). */
function of(name: FixtureName, extra: Partial<Story> = {}): Story {
  const fixture = fixtures[name];
  const partStates =
    'partStates' in fixture && !NO_PART_MAP.has(name) ? fixture.partStates : undefined;
  return {
    args: { snapshot: fixture.snapshot, actions: spyActions() },
    render: (args) => (
      <Narrow>
        <UploadPanel {...args} partStates={partStates} />
      </Narrow>
    ),
    ...extra,
  };
}

const button = (name: string) => new RegExp(`^${name} `);

export const Idle = of('idle');
export const Preparing = of('preparing');
export const Initiating = of('initiating');

export const Uploading = of('uploading', {
  play: async ({ args, canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: button('Pause') }));
    await expect(args.actions.pause).toHaveBeenCalledTimes(1);
    await userEvent.click(canvas.getByRole('button', { name: button('Cancel') }));
    await expect(args.actions.cancel).toHaveBeenCalledTimes(1);
    // Resume and Retry are illegal while uploading: disabled, and clicking does nothing.
    for (const name of ['Resume', 'Retry'] as const) {
      const disabled = canvas.getByRole('button', { name: button(name) });
      await expect(disabled).toBeDisabled();
      await userEvent.click(disabled);
    }
    await expect(args.actions.resume).not.toHaveBeenCalled();
    await expect(args.actions.retry).not.toHaveBeenCalled();
    const bar = canvas.getByRole('progressbar');
    await expect(bar).toHaveAttribute('aria-valuenow', '40');
    await expect(bar.getAttribute('aria-valuetext')).toMatch(/^40% — .+ GiB of 231\.9 GiB$/);
  },
});
export const UploadingDark = of('uploading', { globals: { theme: 'dark' } });
export const RetryingPart = of('retrying');

export const PausedByUser = of('pausedUser', {
  play: async ({ args, canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: button('Resume') }));
    await expect(args.actions.resume).toHaveBeenCalledTimes(1);
    const pause = canvas.getByRole('button', { name: button('Pause') });
    await expect(pause).toBeDisabled();
    await userEvent.click(pause);
    await expect(args.actions.pause).not.toHaveBeenCalled();
  },
});
export const PausedOffline = of('pausedOffline', {
  play: async ({ canvas }) => {
    await expect(canvas.getByText(/Waiting for the network…/)).toBeVisible();
  },
});
export const RefreshingUrls = of('refreshingUrls');
export const CompletingChecksum = of('completing');

export const CompletedVerified = of('completed', {
  play: async ({ canvas }) => {
    await expect(canvas.getByText(/checksum verified/)).toBeVisible();
    await expect(canvas.getByText('fil_01JD8ZK3Q4W9X2M7A5B6C8D0EF')).toBeVisible();
    // Nothing is legal after completion here, so no controls are offered.
    await expect(canvas.queryByRole('button')).toBeNull();
  },
});
export const CompletedDark = of('completed', { globals: { theme: 'dark' } });

export const FailedNetwork = of('failedNetwork', {
  play: async ({ args, canvas, userEvent }) => {
    await expect(canvas.getByText(/Check your connection, then retry/)).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: button('Retry') }));
    await expect(args.actions.retry).toHaveBeenCalledTimes(1);
    await userEvent.click(canvas.getByRole('button', { name: button('Cancel') }));
    await expect(args.actions.cancel).toHaveBeenCalledTimes(1);
    await expect(canvas.getByRole('button', { name: button('Pause') })).toBeDisabled();
  },
});
export const FailedUrlExpired = of('failedUrlExpired');
export const FailedCorrupt = of('failedCorrupt');
export const FailedCorruptDark = of('failedCorrupt', { globals: { theme: 'dark' } });

export const FailedConflictStartOver = of('failedConflict', {
  play: async ({ args, canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: button('Start over') }));
    await expect(args.actions.startOver).toHaveBeenCalledTimes(1);
  },
});
export const CompletedWithoutChecksum = of('completedNoChecksum', {
  play: async ({ canvas }) => {
    await expect(canvas.getByTestId('checksum-unavailable')).toHaveTextContent('Not checked');
  },
});
export const PausedSignInNeeded = of('pausedAuth', {
  play: async ({ canvas }) => {
    await expect(canvas.getByTestId('upload-hints')).toHaveTextContent('Sign-in needed');
    await expect(canvas.getByRole('button', { name: button('Resume') })).toBeEnabled();
  },
});
export const FailedServerErrors = of('failedServerErrors', {
  play: async ({ canvas }) => {
    await expect(canvas.getAllByTestId('server-error')).toHaveLength(2);
    await expect(canvas.getByTestId('error-suggestion')).toHaveTextContent('Supported types');
    await expect(canvas.getByTestId('error-uid')).toHaveTextContent(/^err-/);
    await expect(canvas.getByRole('button', { name: /Copy the support reference/ })).toBeEnabled();
  },
});
export const FailedFileUnreadable = of('failedUnreadable');
export const FailedMissingEtag = of('failedMissingEtag');
export const Aborting = of('aborting');
export const Aborted = of('aborted');
export const ResumedAfterReload = of('resumed');

export const InterruptedPickAgain = of('interruptedNoHandle', {
  play: async ({ args, canvas, canvasElement }) => {
    await expect(canvas.getByTestId('upload-panel')).toHaveAttribute('data-state', 'interrupted');
    // The explanation in full, in the layer with the picker (the hint line behind it is cut).
    const hints = canvas.getAllByTestId('upload-hints');
    await expect(hints.at(-1)).toHaveTextContent(/Pick or drop the same file/);
    // No stored handle: Resume cannot reopen the file, so it is disabled; Discard is offered.
    await expect(canvas.getByRole('button', { name: button('Resume') })).toBeDisabled();
    await expect(canvas.getByRole('button', { name: button('Discard') })).toBeEnabled();
    // Picking the file goes to start(); a refusal (wrong file) is shown and nothing else changes.
    const input = canvasElement.querySelector<HTMLInputElement>(
      '[data-testid="recovery-file-input"]',
    )!;
    const file = new File(['x'], 'other.csv', { type: 'text/csv' });
    (args.actions.start as ReturnType<typeof fn>).mockRejectedValueOnce(
      new UploadError('file_mismatch', '"other.csv" is not the interrupted file.', {
        resumable: false,
      }),
    );
    const transfer = new DataTransfer();
    transfer.items.add(file);
    input.files = transfer.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await waitFor(() => expect(args.actions.start).toHaveBeenCalledWith(file));
    await waitFor(() =>
      expect(canvas.getByTestId('recovery-refusal')).toHaveTextContent(/not the interrupted file/),
    );
  },
});
export const InterruptedWithHandle = of('interruptedWithHandle', {
  play: async ({ args, canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: button('Resume') }));
    await expect(args.actions.resume).toHaveBeenCalledTimes(1);
    await expect(canvas.getByRole('button', { name: /^Choose .+ again/ })).toBeEnabled();
  },
});
export const ReopeningNeedsPermission = of('reopening', {
  play: async ({ canvas }) => {
    await expect(canvas.getByTestId('upload-hints')).toHaveTextContent(/allow access/);
  },
});
export const InterruptedPermissionRefused = of('interruptedNotReopened', {
  play: async ({ canvas }) => {
    await expect(canvas.getByText('The file can’t be read')).toBeVisible();
    await expect(canvas.getByTestId('error-message')).toHaveTextContent(/did not allow reading/);
  },
});
export const UploadingInAnotherTab = of('elsewhere', {
  play: async ({ args, canvas, userEvent }) => {
    await expect(canvas.getByTestId('upload-hints')).toHaveTextContent(/another tab/);
    // The buttons ask the owning tab, as its status allows.
    await userEvent.click(canvas.getByRole('button', { name: button('Pause') }));
    await expect(args.actions.pause).toHaveBeenCalledTimes(1);
    await expect(canvas.getByRole('button', { name: button('Resume') })).toBeDisabled();
    await expect(canvas.getByTestId('upload-speed')).not.toHaveTextContent('—');
  },
});
export const PausedInAnotherTab = of('elsewherePaused', {
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('button', { name: button('Resume') })).toBeEnabled();
    await expect(canvas.getByRole('button', { name: button('Pause') })).toBeDisabled();
  },
});

/** Drives the panel through the real state machine, to show transitions and the live region. */
function Interactive({ initial }: { initial: UploadSnapshot }): ReactElement {
  const [snapshot, setSnapshot] = useState(initial);
  // Legality from the table; the story answers like the engine does (true when the move is legal).
  const send = (event: UploadEventType, patch: Partial<UploadSnapshot> = {}): boolean => {
    if (!can(snapshot.status, event)) return false;
    setSnapshot((s) => {
      const next = transition(s.status, event, { prepared: true, hasFile: true, hasHandle: false });
      return next ? { ...s, ...patch, status: next } : s;
    });
    return true;
  };
  return (
    <Narrow>
      <UploadPanel
        snapshot={snapshot}
        partStates={fixtures.uploading.partStates}
        actions={{
          pause: () => send('PAUSE', { pauseReason: 'user' }),
          resume: () => send('RESUME', { pauseReason: undefined }),
          cancel: async () => send('CANCEL'),
          retry: () => send('RETRY'),
        }}
      />
    </Narrow>
  );
}

export const InteractiveStateMachine: Story = {
  render: () => <Interactive initial={fixtures.uploading.snapshot} />,
  play: async ({ canvas, canvasElement, userEvent }) => {
    const panel = canvas.getByTestId('upload-panel');
    const live = canvas.getByRole('status');
    await expect(live).toHaveTextContent('uploading');
    await userEvent.click(canvas.getByRole('button', { name: button('Pause') }));
    await waitFor(() => expect(panel).toHaveAttribute('data-state', 'paused'));
    await expect(live).toHaveTextContent('paused');
    await userEvent.click(canvas.getByRole('button', { name: button('Resume') }));
    await waitFor(() => expect(panel).toHaveAttribute('data-state', 'initiating'));
    await userEvent.click(canvas.getByRole('button', { name: button('Cancel') }));
    await waitFor(() => expect(panel).toHaveAttribute('data-state', 'aborting'));
    await expect(canvasElement.querySelectorAll('[role="status"]')).toHaveLength(1);
  },
};
