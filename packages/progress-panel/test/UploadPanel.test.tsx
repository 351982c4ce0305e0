import type { UploadActions } from '@atai-upload/engine';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixtures, makeSnapshot } from '../src/fixtures.js';
import { UploadPanel } from '../src/UploadPanel.js';

afterEach(cleanup);

function spies(): Pick<UploadActions, 'pause' | 'resume' | 'cancel' | 'retry' | 'startOver'> {
  return { pause: vi.fn(), resume: vi.fn(), cancel: vi.fn(), retry: vi.fn(), startOver: vi.fn() };
}

const buttonNamed = (label: string) =>
  screen.queryByRole('button', { name: new RegExp(`^${label} `) });
const isDisabled = (label: string) => (buttonNamed(label) as HTMLButtonElement).disabled;

describe('UploadPanel buttons', () => {
  // Legal events per status, from the engine's transition table.
  const cases = [
    ['uploading', { Pause: true, Resume: false, Retry: false, Cancel: true }],
    ['pausedUser', { Pause: false, Resume: true, Retry: false, Cancel: true }],
    ['failedNetwork', { Pause: false, Resume: false, Retry: true, Cancel: true }],
    ['preparing', { Pause: true, Resume: false, Retry: false, Cancel: true }],
    ['completing', { Pause: false, Resume: false, Retry: false, Cancel: true }],
  ] as const;

  it.each(cases)('enables exactly the legal actions when %s', (name, enabled) => {
    render(<UploadPanel snapshot={fixtures[name].snapshot} actions={spies()} />);
    for (const [label, on] of Object.entries(enabled)) expect(isDisabled(label), label).toBe(!on);
  });

  it('offers no controls when nothing is legal', () => {
    for (const name of ['completed', 'aborting', 'aborted', 'idle'] as const) {
      const { unmount } = render(
        <UploadPanel snapshot={fixtures[name].snapshot} actions={spies()} />,
      );
      expect(screen.queryAllByRole('button'), name).toHaveLength(0);
      unmount();
    }
  });

  it('calls the matching action, and disabled buttons call nothing', async () => {
    const user = userEvent.setup();
    const actions = spies();
    render(<UploadPanel snapshot={fixtures.uploading.snapshot} actions={actions} />);
    await user.click(buttonNamed('Pause')!);
    await user.click(buttonNamed('Cancel')!);
    await user.click(buttonNamed('Resume')!);
    await user.click(buttonNamed('Retry')!);
    expect(actions.pause).toHaveBeenCalledTimes(1);
    expect(actions.cancel).toHaveBeenCalledTimes(1);
    expect(actions.resume).not.toHaveBeenCalled();
    expect(actions.retry).not.toHaveBeenCalled();
  });

  it('resumes when paused and retries when failed', async () => {
    const user = userEvent.setup();
    const actions = spies();
    const { rerender } = render(
      <UploadPanel snapshot={fixtures.pausedUser.snapshot} actions={actions} />,
    );
    await user.click(buttonNamed('Resume')!);
    rerender(<UploadPanel snapshot={fixtures.failedNetwork.snapshot} actions={actions} />);
    await user.click(buttonNamed('Retry')!);
    expect(actions.resume).toHaveBeenCalledTimes(1);
    expect(actions.retry).toHaveBeenCalledTimes(1);
  });

  it('names the file in every button label', () => {
    render(<UploadPanel snapshot={fixtures.uploading.snapshot} actions={spies()} />);
    for (const button of screen.getAllByRole('button')) {
      expect(button.getAttribute('aria-label')).toMatch(/lidar-sweeps-2024-q3\.tar\.zst$/);
    }
  });
});

describe('UploadPanel progress and state', () => {
  it('exposes progress to assistive tech', () => {
    render(<UploadPanel snapshot={fixtures.uploading.snapshot} actions={spies()} />);
    const bar = screen.getByRole('progressbar');
    expect(bar.getAttribute('aria-valuemin')).toBe('0');
    expect(bar.getAttribute('aria-valuemax')).toBe('100');
    expect(bar.getAttribute('aria-valuenow')).toBe('40');
    expect(bar.getAttribute('aria-valuetext')).toBe('40% — 94.4 GiB of 231.9 GiB');
    expect(bar.getAttribute('aria-label')).toBe('Upload progress of lidar-sweeps-2024-q3.tar.zst');
  });

  it('shows 100% when completed and an indeterminate bar before bytes move', () => {
    const { rerender } = render(
      <UploadPanel snapshot={fixtures.completed.snapshot} actions={spies()} />,
    );
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    rerender(<UploadPanel snapshot={fixtures.preparing.snapshot} actions={spies()} />);
    expect(screen.getByRole('progressbar').hasAttribute('aria-valuenow')).toBe(false);
  });

  it('carries data-state and shows the figures', () => {
    render(<UploadPanel snapshot={fixtures.uploading.snapshot} actions={spies()} />);
    const panel = screen.getByTestId('upload-panel');
    expect(panel.getAttribute('data-state')).toBe('uploading');
    expect(within(panel).getByTestId('upload-parts').textContent).toBe('12,204 / 30,000');
    expect(within(panel).getByTestId('upload-speed').textContent).toBe('182.0 MiB/s');
    expect(within(panel).getByTestId('upload-eta').textContent).toBe('12 min 54 s');
    expect(within(panel).queryByText('Uploading')).not.toBeNull();
  });

  it('announces status changes only, not progress ticks', () => {
    const base = fixtures.uploading.snapshot;
    const { rerender } = render(<UploadPanel snapshot={base} actions={spies()} />);
    const live = screen.getByRole('status');
    expect(live.getAttribute('aria-live')).toBe('polite');
    const first = live.textContent;
    expect(first).toBe('lidar-sweeps-2024-q3.tar.zst: uploading.');
    const tick = {
      ...base,
      progress: { ...base.progress, bytesUploaded: base.progress.bytesUploaded + 8e6, speedBps: 1 },
    };
    rerender(<UploadPanel snapshot={tick} actions={spies()} />);
    expect(screen.getByRole('status').textContent).toBe(first);
    rerender(
      <UploadPanel
        snapshot={{ ...tick, status: 'paused', pauseReason: 'offline' }}
        actions={spies()}
      />,
    );
    expect(screen.getByRole('status').textContent).toBe(
      'lidar-sweeps-2024-q3.tar.zst: paused, waiting for the network.',
    );
    rerender(<UploadPanel snapshot={fixtures.failedCorrupt.snapshot} actions={spies()} />);
    expect(screen.getByRole('status').textContent).toBe(
      'lidar-sweeps-2024-q3.tar.zst: upload failed (Checksum mismatch).',
    );
  });
});

describe('UploadPanel errors and hints', () => {
  it('shows the error message and the advice', () => {
    render(<UploadPanel snapshot={fixtures.failedCorrupt.snapshot} actions={spies()} />);
    expect(screen.getByTestId('error-advice').textContent).toMatch(/checksum mismatch/);
    expect(screen.getByTestId('error-message').textContent).toMatch(/file_status "Corrupt"/);
    expect(screen.queryByText('Checksum mismatch')).not.toBeNull();
    expect(screen.queryByText(/starts a new upload from the beginning/)).not.toBeNull();
  });

  it('shows every server error, the suggestion and the error id with a copy button', async () => {
    const user = userEvent.setup();
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    render(<UploadPanel snapshot={fixtures.failedServerErrors.snapshot} actions={spies()} />);
    const said = screen.getAllByTestId('server-error').map((li) => li.textContent);
    expect(said).toEqual([
      expect.stringContaining('Unsupported file type: application/octet-stream'),
      expect.stringContaining('num_bytes must be at most 268435456000'),
    ]);
    expect(screen.getByTestId('error-suggestion').textContent).toMatch(
      /Supported types: image\/jpeg/,
    );
    // Both errors carry the same id: it is shown once.
    expect(screen.getAllByTestId('error-uid').map((e) => e.textContent)).toEqual([
      'err-5f0c9a1e-2b7d-4c3e-9a86-1d2e3f405a6b',
    ]);
    await user.click(screen.getByRole('button', { name: /Copy the support reference/ }));
    expect(writeText).toHaveBeenCalledWith('err-5f0c9a1e-2b7d-4c3e-9a86-1d2e3f405a6b');
    expect(await screen.findByText('Copied')).not.toBeNull();
  });

  it('offers Start over for an upload conflict only when startOver is given', async () => {
    const user = userEvent.setup();
    const actions = spies();
    const { rerender } = render(
      <UploadPanel snapshot={fixtures.failedConflict.snapshot} actions={actions} />,
    );
    await user.click(buttonNamed('Start over')!);
    expect(actions.startOver).toHaveBeenCalledTimes(1);
    const { startOver: _, ...withoutStartOver } = actions;
    rerender(
      <UploadPanel snapshot={fixtures.failedConflict.snapshot} actions={withoutStartOver} />,
    );
    expect(buttonNamed('Start over')).toBeNull();
    rerender(<UploadPanel snapshot={fixtures.failedNetwork.snapshot} actions={actions} />);
    expect(buttonNamed('Start over')).toBeNull();
  });

  it.each([
    ['pausedOffline', /Waiting for the network…/],
    ['retrying', /Retrying 2 parts/],
    ['refreshingUrls', /Refreshing upload links/],
    ['resumed', /Resumed: 139\.1 GiB already on the server/],
    ['completing', /Computing the whole-file CRC-32C/],
  ] as const)('explains the %s sub-state', (name, text) => {
    render(<UploadPanel snapshot={fixtures[name].snapshot} actions={spies()} />);
    expect(within(screen.getByTestId('upload-hints')).queryByText(text)).not.toBeNull();
  });

  it('says "Retrying 1 part" in the singular', () => {
    render(
      <UploadPanel
        snapshot={{ ...fixtures.uploading.snapshot, retryingParts: 1 }}
        actions={spies()}
      />,
    );
    expect(screen.queryByText(/Retrying 1 part after/)).not.toBeNull();
  });

  it('shows the stored result and the verified checksum on completion', () => {
    render(<UploadPanel snapshot={fixtures.completed.snapshot} actions={spies()} />);
    const result = screen.getByTestId('upload-result');
    expect(result.textContent).toContain('fil_01JD8ZK3Q4W9X2M7A5B6C8D0EF');
    expect(result.textContent).toContain('Registered');
    expect(screen.queryByText(/checksum verified/)).not.toBeNull();
    const checksum = screen.getByTestId('upload-checksum');
    expect(checksum.textContent).toBe('Verified');
    expect(checksum.previousElementSibling?.textContent).toBe('CRC-32C');
  });

  it('copes with a snapshot that has no file yet', () => {
    render(<UploadPanel snapshot={makeSnapshot({}, null)} actions={spies()} />);
    expect(screen.queryByText('Untitled upload')).not.toBeNull();
    expect(screen.queryByText('No file selected')).not.toBeNull();
  });

  it('renders a part map when part states are given', () => {
    const { partStates, snapshot } = fixtures.uploading;
    render(<UploadPanel snapshot={snapshot} partStates={partStates} actions={spies()} />);
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe(
      'Part map: 12,204 of 30,000 parts done, 8 uploading',
    );
  });
});
