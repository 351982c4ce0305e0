import { crc32cSync } from '@atai-upload/crc32c';
import { describe, expect, it, vi } from 'vitest';
import {
  createMemoryStorage,
  createResumeStore,
  createUploadController,
  createUploadQueue,
  listInterrupted,
  type PartHasher,
  PartState,
  type ResumeStore,
  type UploadController,
  type UploadStatus,
} from '../src/index.js';
import { FakeLocks, FakeServer, fakeOptions, makeFile } from './fakes.js';

const until = (c: UploadController, status: UploadStatus) =>
  vi.waitFor(() => expect(c.getSnapshot().status).toBe(status), { timeout: 3000, interval: 2 });

/**
 * Starts `file` (10 parts), lets parts 0–2 land and be checkpointed and part 3 land with its
 * token held, then "closes the tab" while part 4 hangs.
 */
async function interruptedUpload(server: FakeServer, store: ResumeStore, file: File) {
  const first = createUploadController(
    fakeOptions(server, {
      resumeStore: store,
      concurrency: 1,
      checkpointBatchSize: 3,
      checkpointIntervalMs: 60_000,
    }),
  );
  server.putFault = (n) => {
    if (n === 3) server.gate = new Promise(() => {});
    return undefined;
  };
  await first.start(file);
  await vi.waitFor(() => expect(store.list()[0]?.confirmedParts).toBe(3));
  await vi.waitFor(() => expect(first.partStates[3]).toBe(PartState.uploaded)); // token held
  first.dispose();
  await store.flushed();
  server.gate = undefined;
  server.putFault = undefined;
  return first.getSnapshot().uploadId!;
}

describe('recovery shelf', () => {
  it('lists an interrupted upload after a reload, before any pick, with what the server holds', async () => {
    const server = new FakeServer();
    const storage = createMemoryStorage();
    const file = makeFile(40); // 10 parts of 4 bytes
    const uploadId = await interruptedUpload(server, createResumeStore({ storage }), file);

    const list = await listInterrupted({
      resumeStore: createResumeStore({ storage }),
      locks: null,
    });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      uploadId,
      file: { name: 'data.parquet', size: 40 },
      numParts: 10,
      partsOnServer: 3,
      bytesOnServer: 12,
      partsHeldLocally: 1,
      hasHandle: false,
      inOtherTab: false,
    });
  });

  it('an interrupted upload resumes with the same file, refuses another one and keeps its record', async () => {
    const server = new FakeServer();
    const storage = createMemoryStorage();
    const file = makeFile(40);
    const uploadId = await interruptedUpload(server, createResumeStore({ storage }), file);

    const store = createResumeStore({ storage });
    const queue = createUploadQueue(fakeOptions(server, { resumeStore: store, locks: null }));
    const [c] = await queue.restore();
    expect(await queue.restore()).toEqual([]); // listed once, however often asked
    expect(c!.getSnapshot()).toMatchObject({
      status: 'interrupted',
      uploadId,
      recovery: { handle: 'none', partsOnServer: 3, bytesOnServer: 12, partsHeld: 1, bytesHeld: 4 },
      progress: { bytesConfirmed: 16 },
    });
    expect(c!.resume()).toBe(false); // no stored handle: the file must be picked

    const other = makeFile(40, 'data.parquet', 1_600_000_000_000);
    await expect(c!.start(other)).rejects.toMatchObject({ code: 'file_mismatch' });
    expect(c!.getSnapshot().status).toBe('interrupted');
    expect(store.list().map((r) => r.uploadId)).toEqual([uploadId]);

    const putsBefore = server.puts.length;
    expect(await queue.add(file)).toBe(c); // the dropped file goes to the waiting upload
    const done = await c!.settled();
    expect(done.status).toBe('completed');
    expect(done.uploadId).toBe(uploadId);
    // Parts 0–2 were checkpointed and part 3's token was stored: only 4…9 are sent.
    expect(server.puts.slice(putsBefore).sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(server.assembled(uploadId)).toEqual(new Uint8Array(await file.arrayBuffer()));
    await store.flushed();
    expect(storage.data.size).toBe(0);
    queue.dispose();
  });

  it('discard aborts the server upload and forgets the record', async () => {
    const server = new FakeServer();
    const storage = createMemoryStorage();
    const uploadId = await interruptedUpload(server, createResumeStore({ storage }), makeFile(40));
    const store = createResumeStore({ storage });
    const [c] = await createUploadQueue(
      fakeOptions(server, { resumeStore: store, locks: null }),
    ).restore();
    expect(await c!.cancel()).toBe(true);
    expect(c!.getSnapshot().status).toBe('aborted');
    expect(server.uploads.get(uploadId)?.status).toBe('aborted');
    await store.flushed();
    expect(storage.data.size).toBe(0);
  });

  it('resume reopens the file from its stored handle; refusal or a changed file keeps the record', async () => {
    const server = new FakeServer();
    const storage = createMemoryStorage();
    const file = makeFile(40);
    let permission: PermissionState = 'prompt';
    let onDisk = file;
    const asked: string[] = [];
    const handle = {
      kind: 'file',
      name: file.name,
      queryPermission: async () => permission,
      requestPermission: async () => {
        asked.push('request');
        return permission === 'prompt' ? 'denied' : permission;
      },
      getFile: async () => onDisk,
    } as unknown as FileSystemFileHandle;
    const first = createResumeStore({ storage });
    const a = createUploadController(
      fakeOptions(server, { resumeStore: first, concurrency: 1, checkpointBatchSize: 2 }),
    );
    server.gate = new Promise(() => {});
    await a.start(file, { handle });
    await until(a, 'uploading');
    a.dispose();
    await first.flushed();
    server.gate = undefined;

    const store = createResumeStore({ storage });
    const [c] = await createUploadQueue(
      fakeOptions(server, { resumeStore: store, locks: null }),
    ).restore();
    expect(c!.getSnapshot().recovery?.handle).toBe('stored');

    expect(c!.resume()).toBe(true); // permission refused
    await until(c!, 'interrupted');
    expect(asked).toEqual(['request']);
    expect(c!.getSnapshot().error).toMatchObject({ code: 'file_unreadable' });

    permission = 'granted';
    onDisk = makeFile(40, file.name, file.lastModified + 1); // edited since
    c!.resume();
    await until(c!, 'interrupted');
    expect(c!.getSnapshot().error?.message).toMatch(/changed on disk/);
    expect(store.list()).toHaveLength(1);

    onDisk = file;
    expect(c!.resume()).toBe(true);
    const done = await c!.settled();
    expect(done.status).toBe('completed');
    expect(server.assembled(done.uploadId!)).toEqual(new Uint8Array(await file.arrayBuffer()));
  });
});

describe('one tab per file', () => {
  it('a second tab follows the first, forwards commands, and takes over when it closes, sending no part twice', async () => {
    const server = new FakeServer();
    const storage = createMemoryStorage();
    const locks = new FakeLocks();
    const file = makeFile(40);
    let release!: () => void;
    const tabA = createUploadController(
      fakeOptions(server, {
        resumeStore: createResumeStore({ storage }),
        locks,
        concurrency: 1,
        checkpointBatchSize: 1,
      }),
    );
    server.putFault = (n) => {
      if (n === 4) server.gate = new Promise((r) => (release = r));
      return undefined;
    };
    await tabA.start(file);
    await vi.waitFor(() => expect(tabA.getSnapshot().progress.partsDone).toBe(5));

    const tabB = createUploadController(
      fakeOptions(server, { resumeStore: createResumeStore({ storage }), locks }),
    );
    await tabB.start(file);
    await until(tabB, 'elsewhere');
    // B shows A's progress, mirrored over the channel.
    await vi.waitFor(() => expect(tabB.getSnapshot().remote?.status).toBe('uploading'));
    expect(tabB.getSnapshot().progress.bytesConfirmed).toBe(20);

    expect(tabB.pause()).toBe(true); // carried out by A
    await until(tabA, 'paused');
    await vi.waitFor(() => expect(tabB.getSnapshot().remote?.pauseReason).toBe('user'));
    server.putFault = (n) => {
      if (n === 7) server.gate = new Promise(() => {}); // A hangs after part 7, then its tab closes
      return undefined;
    };
    server.gate = undefined;
    release();
    expect(tabB.resume()).toBe(true);
    await vi.waitFor(() => expect(tabA.getSnapshot().progress.partsDone).toBe(8));
    await vi.waitFor(() => expect(tabB.getSnapshot().remote?.progress.partsDone).toBe(8));
    tabA.dispose();

    server.gate = undefined;
    server.putFault = undefined;
    const done = await tabB.settled();
    expect(done.status).toBe('completed');
    expect(done.uploadId).toBe(tabA.getSnapshot().uploadId);
    // Every part reached storage once: nothing was PUT by both tabs.
    // (Part 5 was on its way when A paused, and A sent it again on resume; part 8 was on its
    // way when A closed, and B sent it.)
    for (let n = 0; n < 10; n++) {
      expect(server.attemptsOf(done.uploadId!, n)).toBe(n === 5 || n === 8 ? 2 : 1);
    }
    expect(server.assembled(done.uploadId!)).toEqual(new Uint8Array(await file.arrayBuffer()));
  });

  it('when the owner completes, the follower shows it completed and starts nothing', async () => {
    const server = new FakeServer();
    const storage = createMemoryStorage();
    const locks = new FakeLocks();
    const file = makeFile(16);
    const a = createUploadController(
      fakeOptions(server, { resumeStore: createResumeStore({ storage }), locks }),
    );
    let release!: () => void;
    server.gate = new Promise((r) => (release = r));
    await a.start(file);
    await until(a, 'uploading');
    const b = createUploadController(
      fakeOptions(server, { resumeStore: createResumeStore({ storage }), locks }),
    );
    await b.start(file);
    await until(b, 'elsewhere');
    server.gate = undefined;
    release();
    const done = await b.settled();
    expect(done.status).toBe('completed');
    expect(done.result?.file_uid).toBe(a.getSnapshot().fileUid);
    expect(server.log.filter((r) => r === 'initiate')).toHaveLength(1);
  });
});

describe('without Web Locks', () => {
  it('a second upload of a file another tab answers for is refused clearly, and the first goes on', async () => {
    vi.stubGlobal('window', new EventTarget()); // a browser page, but one without navigator.locks
    try {
      const server = new FakeServer();
      const storage = createMemoryStorage();
      const file = makeFile(16);
      let release!: () => void;
      server.gate = new Promise((r) => (release = r));
      const a = createUploadController(
        fakeOptions(server, { resumeStore: createResumeStore({ storage }), locks: undefined }),
      );
      await a.start(file);
      await until(a, 'uploading');
      const b = createUploadController(
        fakeOptions(server, { resumeStore: createResumeStore({ storage }), locks: undefined }),
      );
      await b.start(file);
      const refused = await b.settled();
      expect(refused.status).toBe('failed');
      expect(refused.error).toMatchObject({ code: 'in_other_tab' });
      expect(refused.error?.advice).toMatch(/Another tab/);
      server.gate = undefined;
      release();
      expect((await a.settled()).status).toBe('completed');
      expect(server.log.filter((r) => r === 'initiate')).toHaveLength(1);
      a.dispose();
      b.dispose();
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('long-upload comforts', () => {
  it('holds a screen wake lock and a beforeunload prompt only while the upload runs', async () => {
    const win = new EventTarget();
    const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    const sentinels: { released: boolean; release(): Promise<void> }[] = [];
    const nav = {
      onLine: true,
      wakeLock: {
        request: async () => {
          const s = {
            released: false,
            release: async () => {
              s.released = true;
            },
          };
          sentinels.push(s);
          return s;
        },
      },
    };
    vi.stubGlobal('window', win);
    vi.stubGlobal('document', doc);
    vi.stubGlobal('navigator', nav);
    try {
      const server = new FakeServer();
      let release!: () => void;
      server.gate = new Promise((r) => (release = r));
      const c = createUploadController(
        fakeOptions(server, { keepAwake: true, warnBeforeUnload: true, locks: null }),
      );
      await c.start(makeFile(16));
      await until(c, 'uploading');
      await vi.waitFor(() => expect(sentinels).toHaveLength(1));
      const unload = new Event('beforeunload', { cancelable: true });
      win.dispatchEvent(unload);
      expect(unload.defaultPrevented).toBe(true);

      c.pause();
      await vi.waitFor(() => expect(sentinels[0]!.released).toBe(true));
      const later = new Event('beforeunload', { cancelable: true });
      win.dispatchEvent(later);
      expect(later.defaultPrevented).toBe(false);

      // The browser drops the lock when the page is hidden; shown again while running, it is taken again.
      c.resume();
      await vi.waitFor(() => expect(sentinels).toHaveLength(2));
      sentinels[1]!.released = true;
      doc.visibilityState = 'visible';
      doc.dispatchEvent(new Event('visibilitychange'));
      await vi.waitFor(() => expect(sentinels).toHaveLength(3));
      server.gate = undefined;
      release();
      expect((await c.settled()).status).toBe('completed');
      expect(sentinels[2]!.released).toBe(true);
      c.dispose();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('asks to persist storage for large files and says whether it was granted', async () => {
    let asked = 0;
    vi.stubGlobal('navigator', {
      storage: {
        persisted: async () => false,
        persist: async () => {
          asked++;
          return true;
        },
      },
    });
    try {
      const server = new FakeServer();
      const small = createUploadController(fakeOptions(server, { persistStorageAbove: 1024 }));
      await small.start(makeFile(16));
      expect((await small.settled()).storagePersisted).toBeUndefined();
      const big = createUploadController(fakeOptions(server, { persistStorageAbove: 16 }));
      await big.start(makeFile(16));
      await big.settled();
      await vi.waitFor(() => expect(big.getSnapshot().storagePersisted).toBe(true));
      expect(asked).toBe(1);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('whole-file checksum across a reload', () => {
  it('keeps the hashed prefix with the record: the new page hashes only the parts after it', async () => {
    const server = new FakeServer();
    server.integrity = 'crc32c';
    const storage = createMemoryStorage();
    const file = makeFile(4 * 200); // 200 parts of 4 bytes
    const firstStore = createResumeStore({ storage });
    const hashedFirst: number[] = [];
    const first = createUploadController(
      fakeOptions(server, {
        resumeStore: firstStore,
        concurrency: 1,
        // Hashing runs ahead of storage and stops at part 196, past the third kept prefix.
        partHasher: countingHasher(hashedFirst, 196),
      }),
    );
    // Storage hangs at part 150 while the hasher runs ahead: the tab then closes.
    server.putFault = (n) => {
      if (n === 150) server.gate = new Promise(() => {});
      return undefined;
    };
    await first.start(file);
    await vi.waitFor(() => expect(firstStore.list()[0]?.crcPrefix?.parts).toBe(192));
    expect(hashedFirst.length).toBeGreaterThanOrEqual(192);
    first.dispose();
    await firstStore.flushed();
    server.gate = undefined;
    server.putFault = undefined;

    const hashedAfter: number[] = [];
    const second = createUploadController(
      fakeOptions(server, {
        resumeStore: createResumeStore({ storage }),
        partHasher: countingHasher(hashedAfter),
      }),
    );
    await second.start(file);
    const s = await second.settled();
    expect(s.status).toBe('completed');
    expect(s.checksum).toBe('verified');
    // 192 parts (3 × 64) were kept; parts 192–199 are all the new page read for the checksum.
    expect(hashedAfter).toHaveLength(8);
    const expected = Buffer.alloc(4);
    expected.writeUInt32BE(crc32cSync(new Uint8Array(await file.arrayBuffer())));
    expect(server.completes.at(-1)!.integrity_checksum).toBe(expected.toString('base64'));
  });

  it('a prefix that does not fit the upload is ignored, and the checksum still matches', async () => {
    const server = new FakeServer();
    server.integrity = 'crc32c';
    const storage = createMemoryStorage();
    const file = makeFile(4 * 10);
    const store = createResumeStore({ storage });
    const uploadId = await interruptedUpload(server, store, file);
    const [record] = store.list();
    // Storage is user-writable: a prefix longer than the file must not be trusted.
    store.put({ ...record!, uploadId, crcPrefix: { parts: 11, crc: 1 } });
    await store.flushed();
    const hashed: number[] = [];
    const c = createUploadController(
      fakeOptions(server, {
        resumeStore: createResumeStore({ storage }),
        partHasher: countingHasher(hashed),
      }),
    );
    await c.start(file);
    expect((await c.settled()).status).toBe('completed');
    expect(hashed).toHaveLength(10);
  });
});

/** The inline hasher, noting the size of every part it was asked for; part `hangAt` hangs. */
function countingHasher(seen: number[], hangAt = Number.POSITIVE_INFINITY): PartHasher {
  return {
    async hash(part, signal) {
      seen.push(part.size);
      if (seen.length > hangAt) {
        await new Promise((_, reject) =>
          signal?.addEventListener('abort', () => reject(signal.reason)),
        );
      }
      return crc32cSync(new Uint8Array(await part.arrayBuffer()));
    },
    dispose() {},
  };
}
