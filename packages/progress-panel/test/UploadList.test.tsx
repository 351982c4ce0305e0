import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { queueFixture } from '../src/fixtures.js';
import { UploadList, uploadTotals } from '../src/UploadList.js';

afterEach(cleanup);

const actions = () => ({ pause: vi.fn(), resume: vi.fn(), cancel: vi.fn(), retry: vi.fn() });

describe('UploadList', () => {
  it('renders a panel per file with totals', () => {
    render(<UploadList items={queueFixture.map((f) => ({ ...f, actions: actions() }))} />);
    expect(screen.getAllByTestId('upload-panel')).toHaveLength(5);
    expect(screen.getByTestId('upload-list-files').textContent).toBe('5 files');
    const overall = screen.getAllByRole('progressbar')[0]!;
    expect(overall.getAttribute('aria-label')).toBe('Overall progress of 5 uploads');
    const states = within(screen.getByRole('list', { name: 'Files by state' }));
    expect(states.queryByText('uploading')).not.toBeNull();
    expect(states.queryByText('failed')).not.toBeNull();
  });

  it('sums bytes, counting completed files in full and leaving cancelled ones out', () => {
    const totals = uploadTotals(queueFixture.map((f) => f.snapshot));
    const sizes = queueFixture.reduce((n, f) => n + (f.snapshot.file?.size ?? 0), 0);
    expect(totals.bytesTotal).toBe(sizes);
    expect(totals.byStatus).toEqual({ uploading: 1, completed: 1, failed: 1, paused: 1, idle: 1 });
    expect(totals.fraction).toBeGreaterThan(0);
    expect(totals.fraction).toBeLessThan(1);
    const cancelled = { ...queueFixture[0]!.snapshot, status: 'aborted' as const };
    expect(uploadTotals([cancelled]).bytesTotal).toBe(0);
  });

  it('says so when empty', () => {
    render(<UploadList items={[]} />);
    expect(screen.queryByText('No uploads yet')).not.toBeNull();
    expect(screen.getByTestId('upload-list-files').textContent).toBe('0 files');
  });
});
