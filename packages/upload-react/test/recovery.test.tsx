import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeServer, fakeOptions, makeFile } from '../../upload-engine/test/fakes.js';
import {
  createMemoryStorage,
  createResumeStore,
  useInterruptedUploads,
  useUploadQueue,
} from '../src/index.js';
import { providers } from './helpers.js';

afterEach(cleanup);

const WAIT = { timeout: 3000, interval: 5 };

/** A record of an upload left unfinished by an earlier page (started, then the page closed). */
async function leftUnfinished(server: FakeServer, storage: ReturnType<typeof createMemoryStorage>) {
  const store = createResumeStore({ storage });
  const { Wrapper } = providers();
  server.gate = new Promise(() => {});
  const first = renderHook(() => useUploadQueue({ ...fakeOptions(server), resumeStore: store }), {
    wrapper: Wrapper,
  });
  const file = makeFile(16, 'left.parquet');
  await act(() => first.result.current.add([file]));
  await waitFor(() => expect(store.list()).toHaveLength(1), WAIT);
  first.unmount(); // the page goes away; the record stays
  await store.flushed();
  server.gate = undefined;
  return file;
}

describe('recovery shelf in React', () => {
  it('useUploadQueue lists interrupted uploads on mount, once under StrictMode, and a dropped file resumes one', async () => {
    const server = new FakeServer();
    const storage = createMemoryStorage();
    const file = await leftUnfinished(server, storage);
    const store = createResumeStore({ storage });
    const { Wrapper } = providers(true);
    const { result } = renderHook(
      () => useUploadQueue({ ...fakeOptions(server), resumeStore: store }),
      { wrapper: Wrapper },
    );
    await waitFor(() => expect(result.current.restored).toHaveLength(1), WAIT);
    expect(result.current.uploads).toHaveLength(1);
    const [c] = result.current.restored;
    expect(c!.getSnapshot().status).toBe('interrupted');

    const { added } = await act(() => result.current.add([file]));
    expect(added).toEqual([c]); // the same row goes on, no second one
    await waitFor(() => expect(c!.getSnapshot().status).toBe('completed'), WAIT);
    expect(result.current.uploads).toHaveLength(1);
    expect(server.log.filter((r) => r === 'initiate')).toHaveLength(2); // first page, then the resume
  });

  it('restore: false lists nothing; useInterruptedUploads reads the records without a queue', async () => {
    const server = new FakeServer();
    const storage = createMemoryStorage();
    await leftUnfinished(server, storage);
    const store = createResumeStore({ storage });
    const { Wrapper } = providers();
    const queue = renderHook(
      () => useUploadQueue({ ...fakeOptions(server), resumeStore: store, restore: false }),
      { wrapper: Wrapper },
    );
    const shelf = renderHook(() => useInterruptedUploads({ resumeStore: store, locks: null }));
    await waitFor(() => expect(shelf.result.current.loaded).toBe(true), WAIT);
    expect(shelf.result.current.uploads.map((u) => u.file.name)).toEqual(['left.parquet']);
    expect(queue.result.current.uploads).toHaveLength(0);
    expect(queue.result.current.restored).toHaveLength(0);
  });
});
