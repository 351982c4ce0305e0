import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeServer, fakeOptions, makeFile } from '../../upload-engine/test/fakes.js';
import {
  computeQueueTotals,
  EMPTY_QUEUE_TOTALS,
  MAX_FILE_BYTES,
  UploadError,
  type UploadQueueTotals,
  useMultipartUpload,
  useUploadQueue,
} from '../src/index.js';
import { gate, nextMacrotask, providers } from './helpers.js';

afterEach(cleanup);

const WAIT = { timeout: 3000, interval: 5 };

describe('useUploadQueue', () => {
  it('shares one concurrency budget across files, and its totals add up', async () => {
    const server = new FakeServer();
    const hold = gate();
    server.gate = hold.promise;
    const { Wrapper } = providers(true);
    const seen: UploadQueueTotals[] = [];
    const { result } = renderHook(
      () => {
        const q = useUploadQueue({ ...fakeOptions(server), concurrency: 2 });
        seen.push(q.totals);
        return q;
      },
      { wrapper: Wrapper },
    );
    expect(result.current.totals).toEqual(EMPTY_QUEUE_TOTALS);
    const files = [makeFile(16, 'a.parquet'), makeFile(12, 'b.parquet'), makeFile(8, 'c.parquet')];
    const added = await act(() => result.current.add(files));
    expect(added.rejected).toEqual([]);
    expect(added.added).toHaveLength(3);
    expect(result.current.uploads).toEqual(added.added);
    // Nine parts want to go; the shared limiter lets two through.
    await waitFor(() => expect(server.inFlight).toBe(2), WAIT);
    await act(() => new Promise((r) => setTimeout(r, 30)));
    expect(server.inFlight).toBe(2);
    expect(result.current.totals).toMatchObject({
      files: 3,
      active: 3,
      pausable: 3,
      resumable: 0,
      bytesTotal: 36,
    });
    server.gate = undefined;
    hold.open();
    await waitFor(() => expect(result.current.totals.completed).toBe(3), WAIT);
    expect(server.maxInFlight).toBe(2);
    expect(result.current.totals).toEqual({
      files: 3,
      active: 0,
      paused: 0,
      pausable: 0,
      resumable: 0,
      completed: 3,
      failed: 0,
      aborted: 0,
      bytesUploaded: 36,
      bytesTotal: 36,
      fraction: 1,
      speedBps: 0,
      etaMs: undefined,
    });
    // Totals only change identity when a figure changes (the cached snapshot works).
    for (let i = 1; i < seen.length; i++) {
      if (seen[i] !== seen[i - 1]) expect(seen[i]).not.toEqual(seen[i - 1]);
    }
  });

  it('reports input errors per file and starts the others', async () => {
    const server = new FakeServer();
    const { Wrapper } = providers();
    const { result } = renderHook(() => useUploadQueue(fakeOptions(server)), { wrapper: Wrapper });
    const empty = makeFile(0, 'empty.parquet');
    const huge = makeFile(4, 'huge.parquet');
    Object.defineProperty(huge, 'size', { value: MAX_FILE_BYTES + 1 });
    const fine = makeFile(8, 'fine.parquet');
    const { added, rejected } = await act(() => result.current.add([empty, huge, fine]));
    expect(added).toHaveLength(1);
    expect(rejected.map((r) => [r.file, r.error.code])).toEqual([
      [empty, 'empty_file'],
      [huge, 'file_too_large'],
    ]);
    for (const r of rejected) expect(r.error).toBeInstanceOf(UploadError);
    await waitFor(() => expect(result.current.totals.completed).toBe(1), WAIT);
    expect(result.current.uploads).toHaveLength(1);
    expect(server.uploads.size).toBe(1);
  });

  it('pauses, resumes, cancels and removes uploads, and setConcurrency widens the budget', async () => {
    const server = new FakeServer();
    const hold = gate();
    server.gate = hold.promise;
    const { Wrapper } = providers();
    const { result } = renderHook(
      () => useUploadQueue({ ...fakeOptions(server), concurrency: 1 }),
      {
        wrapper: Wrapper,
      },
    );
    const before = result.current;
    await act(() => result.current.add([makeFile(12, 'a.parquet'), makeFile(12, 'b.parquet')]));
    await waitFor(() => expect(server.inFlight).toBe(1), WAIT);
    act(() => result.current.setConcurrency(3));
    expect(result.current.queue.limiter.limit).toBe(3);
    // Both new slots are used at once: the waiting file starts and the running one adds a worker.
    await waitFor(() => expect(server.inFlight).toBe(3), WAIT);
    act(() => result.current.pauseAll());
    await waitFor(() => expect(result.current.totals.paused).toBe(2), WAIT);
    // What "Pause all" / "Resume all" buttons are enabled by: nothing left to pause, two to resume.
    expect(result.current.totals).toMatchObject({ pausable: 0, resumable: 2 });
    server.gate = undefined;
    hold.open();
    act(() => result.current.resumeAll());
    await waitFor(() => expect(result.current.totals.completed).toBe(2), WAIT);
    const [first] = result.current.uploads;
    await act(() => result.current.remove(first!.id));
    expect(result.current.uploads).toHaveLength(1);
    server.gate = new Promise<void>(() => {}); // c.bin stays in flight until cancelled
    await act(() => result.current.add([makeFile(8, 'c.parquet')]));
    await waitFor(() => expect(server.inFlight).toBeGreaterThan(0), WAIT);
    await act(() => result.current.cancelAll());
    await waitFor(() => expect(result.current.totals.aborted).toBe(1), WAIT);
    expect(result.current.totals).toMatchObject({ files: 2, completed: 1, bytesTotal: 12 });
    for (const key of ['add', 'pauseAll', 'resumeAll', 'cancelAll', 'remove'] as const) {
      expect(result.current[key]).toBe(before[key]);
    }
    expect(result.current.queue).toBe(before.queue);
  });

  it('pauses its uploads after unmount, not on StrictMode’s simulated one', async () => {
    const server = new FakeServer();
    const hold = gate();
    server.gate = hold.promise;
    const { Wrapper } = providers(true);
    const { result, unmount } = renderHook(() => useUploadQueue(fakeOptions(server)), {
      wrapper: Wrapper,
    });
    await act(() => result.current.add([makeFile(12, 'a.parquet'), makeFile(12, 'b.parquet')]));
    await act(nextMacrotask);
    const uploads = result.current.uploads;
    expect(uploads.map((u) => u.getSnapshot().status)).toEqual(['uploading', 'uploading']);
    unmount();
    await nextMacrotask();
    expect(uploads.map((u) => u.getSnapshot().status)).toEqual(['paused', 'paused']);
    hold.open();
  });

  it('lets useMultipartUpload join the queue’s concurrency budget', async () => {
    const server = new FakeServer();
    const hold = gate();
    server.gate = hold.promise;
    const { Wrapper } = providers();
    const { result } = renderHook(
      () => {
        const q = useUploadQueue({ ...fakeOptions(server), concurrency: 2 });
        const single = useMultipartUpload({ ...fakeOptions(server), queue: q.queue });
        return { q, single };
      },
      { wrapper: Wrapper },
    );
    await act(() => result.current.q.add([makeFile(16, 'a.parquet')]));
    await act(() => result.current.single.start(makeFile(16, 'b.parquet')));
    await act(() => new Promise((r) => setTimeout(r, 30)));
    expect(server.inFlight).toBe(2);
    server.gate = undefined;
    hold.open();
    await waitFor(() => expect(result.current.single.state.status).toBe('completed'), WAIT);
    await waitFor(() => expect(result.current.q.totals.completed).toBe(1), WAIT);
    expect(server.maxInFlight).toBe(2);
  });
});

describe('computeQueueTotals', () => {
  it('is empty for no uploads', () => {
    expect(computeQueueTotals([])).toEqual(EMPTY_QUEUE_TOTALS);
  });
});
