import {
  act,
  cleanup,
  fireEvent,
  render,
  renderHook,
  screen,
  waitFor,
} from '@testing-library/react';
import { useEffect } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeServer, fakeOptions, makeFile } from '../../upload-engine/test/fakes.js';
import {
  type UploadController,
  type UploadStatus,
  type UseMultipartUploadOptions,
  useMultipartUpload,
  useUploadSelector,
} from '../src/index.js';
import { gate, nextMacrotask, providers } from './helpers.js';

afterEach(cleanup);

const WAIT = { timeout: 3000, interval: 5 };

/** A button starting `file`, with the status and fraction it renders. */
function Uploader(props: {
  options: UseMultipartUploadOptions;
  file: File;
  onCommit?: (controller: UploadController) => void;
}) {
  const { state, start, controller } = useMultipartUpload(props.options);
  // Reported after each commit, not from the render: on mount, React 18's StrictMode renders
  // twice and throws one render's state away (a controller that never starts); what must hold
  // on 18 and 19 alike is that every committed render uses the same controller.
  useEffect(() => {
    props.onCommit?.(controller);
  });
  return (
    <div>
      <button type="button" onClick={() => void start(props.file)}>
        upload
      </button>
      <output data-testid="status">{state.status}</output>
      <output data-testid="fraction">{state.progress.fraction}</output>
    </div>
  );
}

/** Selects only the bytes uploaded. */
function ProgressBytes(props: { controller: UploadController; onRender: () => void }) {
  const bytes = useUploadSelector(props.controller, (s) => s.progress.bytesUploaded);
  props.onRender();
  return <output data-testid="bytes">{bytes}</output>;
}

/** Selects only the status, and renders the progress in a child. */
function StatusOwner(props: {
  options: UseMultipartUploadOptions;
  file: File;
  onRender: (status: UploadStatus, controller: UploadController) => void;
  onProgressRender: () => void;
}) {
  const { state, start, controller } = useMultipartUpload(props.options, (s) => s.status);
  props.onRender(state, controller);
  return (
    <>
      <button type="button" onClick={() => void start(props.file)}>
        upload
      </button>
      <ProgressBytes controller={controller} onRender={props.onProgressRender} />
    </>
  );
}

describe('useMultipartUpload', () => {
  it('renders the upload from idle to completed and stores identical bytes', async () => {
    const server = new FakeServer();
    const file = makeFile(40);
    const onSuccess = vi.fn();
    const { Wrapper } = providers();
    render(<Uploader options={fakeOptions(server, { onSuccess })} file={file} />, {
      wrapper: Wrapper,
    });
    expect(screen.getByTestId('status').textContent).toBe('idle');
    fireEvent.click(screen.getByRole('button', { name: 'upload' }));
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('completed'), WAIT);
    expect(screen.getByTestId('fraction').textContent).toBe('1');
    expect(onSuccess).toHaveBeenCalledTimes(1);
    const [upload] = [...server.uploads.values()];
    expect(server.assembled(upload!.id)).toEqual(new Uint8Array(await file.arrayBuffer()));
  });

  it('runs its API steps as mutations of the QueryClient from the provider', async () => {
    const server = new FakeServer();
    const { Wrapper, queryClient } = providers();
    const { result } = renderHook(() => useMultipartUpload(fakeOptions(server), (s) => s.status), {
      wrapper: Wrapper,
    });
    await act(() => result.current.start(makeFile(12)));
    await waitFor(() => expect(result.current.state).toBe('completed'), WAIT);
    const kinds = queryClient
      .getMutationCache()
      .getAll()
      .map((m) => m.options.mutationKey?.[1]);
    expect(kinds).toContain('initiate');
    expect(kinds).toContain('complete');
  });

  it('re-renders a component selecting status only when the status changes, not on progress ticks', async () => {
    const server = new FakeServer();
    const file = makeFile(80); // 20 parts of 4 bytes
    const statusRenders: UploadStatus[] = [];
    let progressRenders = 0;
    let ctrl: UploadController | undefined;
    const { Wrapper } = providers();
    render(
      <StatusOwner
        options={fakeOptions(server, { progressIntervalMs: 0, concurrency: 2 })}
        file={file}
        onRender={(status, controller) => {
          statusRenders.push(status);
          ctrl = controller;
        }}
        onProgressRender={() => {
          progressRenders++;
        }}
      />,
      { wrapper: Wrapper },
    );
    let progressOnlyUpdates = 0;
    let last = ctrl!.getSnapshot();
    ctrl!.store.subscribe((s) => {
      if (s.status === last.status && s.progress !== last.progress) progressOnlyUpdates++;
      last = s;
    });
    // Let the PUTs through two at a time, so progress ticks are spread out in time.
    let hold = gate();
    server.gate = hold.promise;
    fireEvent.click(screen.getByRole('button', { name: 'upload' }));
    while (ctrl!.getSnapshot().status !== 'completed') {
      const previous = hold;
      hold = gate();
      server.gate = hold.promise;
      previous.open();
      await act(() => new Promise((r) => setTimeout(r, 10)));
    }
    await waitFor(() => expect(statusRenders.at(-1)).toBe('completed'), WAIT);
    expect(screen.getByTestId('bytes').textContent).toBe('80');
    // Every render of the owner shows a new status: none was caused by progress.
    for (let i = 1; i < statusRenders.length; i++) {
      expect(statusRenders[i]).not.toBe(statusRenders[i - 1]);
    }
    expect(statusRenders.length).toBeLessThanOrEqual(6); // idle … completed
    expect(progressOnlyUpdates).toBeGreaterThan(5);
    expect(progressRenders).toBeGreaterThan(statusRenders.length);
  });

  it('keeps its controller and action identities across renders, and calls the latest callbacks', async () => {
    const server = new FakeServer();
    const first = vi.fn();
    const second = vi.fn();
    const { Wrapper } = providers();
    const { result, rerender } = renderHook(
      ({ onSuccess }) => useMultipartUpload(fakeOptions(server, { onSuccess }), (s) => s.status),
      { wrapper: Wrapper, initialProps: { onSuccess: first } },
    );
    const before = result.current;
    rerender({ onSuccess: second });
    const after = result.current;
    expect(after.controller).toBe(before.controller);
    for (const action of [
      'start',
      'pause',
      'resume',
      'cancel',
      'retry',
      'startOver',
      'reset',
    ] as const) {
      expect(after[action]).toBe(before[action]);
    }
    await act(() => after.start(makeFile(8)));
    await waitFor(() => expect(result.current.state).toBe('completed'), WAIT);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
  });

  it('rejects bad input with a typed error and sends nothing', async () => {
    const server = new FakeServer();
    const { Wrapper } = providers();
    const { result } = renderHook(() => useMultipartUpload(fakeOptions(server)), {
      wrapper: Wrapper,
    });
    await expect(result.current.start(makeFile(0))).rejects.toMatchObject({
      name: 'UploadError',
      code: 'empty_file',
    });
    expect(server.log).toEqual([]);
  });

  it('pauses, resumes and cancels through the returned actions; partStates follows the parts', async () => {
    const server = new FakeServer();
    const hold = gate();
    server.gate = hold.promise;
    const { Wrapper } = providers();
    const { result } = renderHook(
      () => useMultipartUpload(fakeOptions(server), (s) => s.partsVersion),
      { wrapper: Wrapper },
    );
    await act(() => result.current.start(makeFile(16)));
    await waitFor(() => expect(server.inFlight).toBeGreaterThan(0), WAIT);
    expect(result.current.partStates).toHaveLength(4);
    act(() => {
      expect(result.current.pause()).toBe(true);
    });
    expect(result.current.controller.getSnapshot().status).toBe('paused');
    server.gate = undefined;
    hold.open();
    act(() => {
      expect(result.current.resume()).toBe(true);
    });
    const done = await result.current.controller.settled();
    expect(done.status).toBe('completed');
    expect(Array.from(result.current.partStates)).toEqual([3, 3, 3, 3]);
    await act(async () => {
      expect(await result.current.cancel()).toBe(false); // nothing to cancel once completed
    });
  });
});

describe('useMultipartUpload lifetime', () => {
  it('in StrictMode, one start makes exactly one initiate and one upload', async () => {
    const server = new FakeServer();
    const file = makeFile(20);
    const controllers = new Set<UploadController>();
    const { Wrapper } = providers(true);
    render(
      <Uploader
        options={fakeOptions(server)}
        file={file}
        onCommit={(c) => {
          controllers.add(c);
        }}
      />,
      { wrapper: Wrapper },
    );
    // StrictMode's simulated unmount must not have released the controller.
    await act(nextMacrotask);
    fireEvent.click(screen.getByRole('button', { name: 'upload' }));
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('completed'), WAIT);
    expect(server.log.filter((r) => r === 'initiate')).toHaveLength(1);
    expect(server.uploads.size).toBe(1);
    expect(server.log.filter((r) => r === 'complete')).toHaveLength(1);
    expect(controllers.size).toBe(1); // every committed render saw the same controller
  });

  it('in StrictMode, a running upload is not paused by the simulated unmount', async () => {
    const server = new FakeServer();
    const hold = gate();
    server.gate = hold.promise;
    const { Wrapper } = providers(true);
    const { result } = renderHook(() => useMultipartUpload(fakeOptions(server), (s) => s.status), {
      wrapper: Wrapper,
    });
    await act(() => result.current.start(makeFile(12)));
    await waitFor(() => expect(result.current.state).toBe('uploading'), WAIT);
    await act(nextMacrotask);
    expect(result.current.state).toBe('uploading');
    server.gate = undefined;
    hold.open();
    await waitFor(() => expect(result.current.state).toBe('completed'), WAIT);
  });

  it('pauses the upload after unmount, once the deferred release ran', async () => {
    const server = new FakeServer();
    const hold = gate();
    server.gate = hold.promise;
    const { Wrapper } = providers(true);
    const { result, unmount } = renderHook(() => useMultipartUpload(fakeOptions(server)), {
      wrapper: Wrapper,
    });
    const { controller } = result.current;
    await act(() => result.current.start(makeFile(12)));
    await waitFor(() => expect(server.inFlight).toBeGreaterThan(0), WAIT);
    unmount();
    expect(controller.getSnapshot().status).toBe('uploading'); // not yet: deferred
    await nextMacrotask();
    expect(controller.getSnapshot().status).toBe('paused');
    expect(controller.getSnapshot().pauseReason).toBe('user');
    hold.open();
    await new Promise((r) => setTimeout(r, 30));
    expect(controller.getSnapshot().status).toBe('paused');
    expect(server.log).not.toContain('complete');
  });

  it('keeps uploading after unmount with keepUploadingOnUnmount', async () => {
    const server = new FakeServer();
    const hold = gate();
    server.gate = hold.promise;
    const { Wrapper } = providers();
    const { result, unmount } = renderHook(
      () => useMultipartUpload({ ...fakeOptions(server), keepUploadingOnUnmount: true }),
      { wrapper: Wrapper },
    );
    const { controller } = result.current;
    await act(() => result.current.start(makeFile(12)));
    await waitFor(() => expect(server.inFlight).toBeGreaterThan(0), WAIT);
    unmount();
    await nextMacrotask();
    expect(controller.getSnapshot().status).toBe('uploading');
    server.gate = undefined;
    hold.open();
    const done = await controller.settled();
    expect(done.status).toBe('completed');
  });

  it('lets an upload that is completing finish after unmount', async () => {
    const server = new FakeServer();
    const hold = gate();
    const completeCalled = gate();
    const realComplete = server.api.completeUpload;
    // Hold the complete call open so the unmount lands while the upload is completing.
    Object.assign(server.api, {
      completeUpload: async (...args: Parameters<typeof realComplete>) => {
        completeCalled.open();
        await hold.promise;
        return realComplete(...args);
      },
    });
    const { Wrapper } = providers();
    const { result, unmount } = renderHook(() => useMultipartUpload(fakeOptions(server)), {
      wrapper: Wrapper,
    });
    const { controller } = result.current;
    await act(() => result.current.start(makeFile(8)));
    await completeCalled.promise;
    expect(controller.getSnapshot().status).toBe('completing');
    unmount();
    await nextMacrotask();
    hold.open();
    expect((await controller.settled()).status).toBe('completed');
  });
});
