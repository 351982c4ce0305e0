import { mkdtempSync, openAsBlob, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createFilesApiClient } from '@atai-upload/api-client';
import { type RunningEmulator, startEmulator } from '@atai-upload/emulator';
import { makeTempFile } from '@atai-upload/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createMemoryStorage,
  createResumeStore,
  createUploadController,
  PartState,
  type UploadController,
  type UploadOptions,
} from '../src/index.js';

const MiB = 1024 * 1024;
const PART = 1 * MiB;
let emu: RunningEmulator;
const controllers: UploadController[] = [];

beforeAll(async () => {
  emu = await startEmulator({
    apiPort: 0,
    storagePort: 0,
    dataDir: mkdtempSync(join(tmpdir(), 'atai-engine-int-')),
    partSize: PART,
    apiKey: 'engine-int-key',
    faults: { seed: 42 },
  });
});
afterAll(async () => {
  await emu?.close();
});
afterEach(() => {
  for (const c of controllers.splice(0)) c.dispose();
  emu.setFaults({
    partPut: { error5xxRate: 0, error429Rate: 0, dropRate: 0, corruptRate: 0 },
    api: { error5xxRate: 0, error429Rate: 0 },
    urlTtlSeconds: 3600,
    latencyMs: 0,
    bandwidthBytesPerSec: 0,
  });
});

function options(extra: Partial<UploadOptions> = {}): UploadOptions {
  return {
    api: createFilesApiClient({ baseUrl: emu.apiUrl, apiKey: emu.apiKey }),
    resumeStore: createResumeStore({ storage: createMemoryStorage() }),
    retry: { maxAttempts: 8, baseDelayMs: 20, maxDelayMs: 300 },
    progressIntervalMs: 20,
    ...extra,
  };
}

function controller(extra: Partial<UploadOptions> = {}) {
  const c = createUploadController(options(extra));
  controllers.push(c);
  return c;
}

async function fileAt(path: string): Promise<File> {
  return new File([await openAsBlob(path)], basename(path), {
    type: 'application/octet-stream',
    lastModified: 1_700_000_000_000,
  });
}

async function downloaded(name: string): Promise<Buffer> {
  const res = await fetch(`${emu.apiUrl}/files/download/${encodeURIComponent(name)}`, {
    headers: { Authorization: `Bearer ${emu.apiKey}` },
  });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe('engine against the emulator', () => {
  it('heals 10% 5xx, 5% dropped connections and 2 s URLs, and stores identical bytes with a verified CRC-32C', async () => {
    emu.setFaults({
      partPut: { error5xxRate: 0.1, dropRate: 0.05 },
      urlTtlSeconds: 2,
      bandwidthBytesPerSec: 2 * MiB,
    });
    const path = await makeTempFile(24 * MiB + 4321, 'chaos.parquet');
    const before = emu.accounting();
    const c = controller({ concurrency: 4 });
    await c.start(await fileAt(path));
    const s = await c.settled();
    expect(s.error?.message).toBeUndefined();
    expect(s.status).toBe('completed');
    expect(s.checksum).toBe('verified');
    expect(s.result?.file_status).toBe('Registered');
    expect((await downloaded('chaos.parquet')).equals(readFileSync(path))).toBe(true);
    const after = emu.accounting();
    const injected =
      after.faultsInjected.put5xx +
      after.faultsInjected.putDrop -
      before.faultsInjected.put5xx -
      before.faultsInjected.putDrop;
    expect(injected).toBeGreaterThan(0); // the chaos really happened
    expect(after.refreshes).toBeGreaterThan(before.refreshes); // 2 s URLs were refreshed
    expect(after.storageAuthorizationHeaders).toBe(0);
  });

  it('pause stops the PUTs, resume finishes the upload', async () => {
    emu.setFaults({ bandwidthBytesPerSec: 4 * MiB });
    const path = await makeTempFile(12 * MiB, 'pause.parquet');
    const c = controller({ concurrency: 2 });
    await c.start(await fileAt(path));
    await vi.waitFor(() => expect(c.getSnapshot().progress.partsDone).toBeGreaterThanOrEqual(2), {
      timeout: 20_000,
    });
    expect(c.pause()).toBe(true);
    const putsAtPause = emu.accounting().putRequests;
    await new Promise((r) => setTimeout(r, 300));
    expect(emu.accounting().putRequests).toBe(putsAtPause);
    emu.setFaults({ bandwidthBytesPerSec: 0 });
    expect(c.resume()).toBe(true);
    const s = await c.settled();
    expect(s.status).toBe('completed');
    expect((await downloaded('pause.parquet')).equals(readFileSync(path))).toBe(true);
  });

  describe('credentials that expire mid-upload', () => {
    const rotate = async (apiKey: string) => {
      const res = await fetch(`${emu.adminUrl}/api-key`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ apiKey }),
      });
      expect(res.status).toBe(200);
    };
    afterEach(() => rotate(emu.apiKey));

    /** Uploads 8 MiB, rotating the key once two parts are in; `fresh` is what the app's token provider knows. */
    async function uploadThroughRotation(name: string, onAuthRequired?: () => void) {
      emu.setFaults({ bandwidthBytesPerSec: 4 * MiB });
      const path = await makeTempFile(8 * MiB, name);
      const putsBefore = emu.accounting().putSuccesses;
      const provider = { current: emu.apiKey, fresh: emu.apiKey };
      const c = controller({
        concurrency: 2,
        api: createFilesApiClient({
          baseUrl: emu.apiUrl,
          getAccessToken: (_route, hint) => (hint.refused ? provider.fresh : provider.current),
        }),
        ...(onAuthRequired ? { onAuthRequired } : {}),
      });
      await c.start(await fileAt(path));
      await vi.waitFor(() => expect(c.getSnapshot().progress.partsDone).toBeGreaterThanOrEqual(2), {
        timeout: 20_000,
      });
      const doneBefore = c.getSnapshot().progress.partsDone;
      await rotate('rotated-key');
      emu.setFaults({ bandwidthBytesPerSec: 0 });
      return { c, path, provider, doneBefore, putsBefore };
    }

    it('a refreshed token carries the upload on, keeping the parts already sent', async () => {
      const { c, path, provider, doneBefore, putsBefore } =
        await uploadThroughRotation('rotate.parquet');
      provider.fresh = 'rotated-key'; // the app's provider can fetch the new token when asked
      const s = await c.settled();
      expect(s.status).toBe('completed');
      expect(s.progress.partsDone).toBe(8);
      expect(doneBefore).toBeGreaterThanOrEqual(2);
      // Every part went to storage once: nothing sent before the rotation was sent again.
      expect(emu.accounting().putSuccesses - putsBefore).toBe(8);
      await rotate(emu.apiKey);
      expect((await downloaded('rotate.parquet')).equals(readFileSync(path))).toBe(true);
    });

    it('without a fresh token it pauses for sign-in, then resume() finishes', async () => {
      let asked = 0;
      const { c, path, provider } = await uploadThroughRotation('signin.parquet', () => asked++);
      await vi.waitFor(() => expect(c.getSnapshot()).toMatchObject({ status: 'paused' }), {
        timeout: 20_000,
      });
      expect(c.getSnapshot().pauseReason).toBe('auth');
      expect(asked).toBe(1);
      provider.current = 'rotated-key'; // the user signed in again
      expect(c.resume()).toBe(true);
      const s = await c.settled();
      expect(s.status).toBe('completed');
      await rotate(emu.apiKey);
      expect((await downloaded('signin.parquet')).equals(readFileSync(path))).toBe(true);
    });
  });

  it('cancel aborts the upload on the server', async () => {
    emu.setFaults({ bandwidthBytesPerSec: 2 * MiB });
    const path = await makeTempFile(8 * MiB, 'cancel.parquet');
    const c = controller();
    await c.start(await fileAt(path));
    await vi.waitFor(() => expect(c.getSnapshot().status).toBe('uploading'), { timeout: 10_000 });
    const uploadId = c.getSnapshot().uploadId!;
    await c.cancel();
    expect(c.getSnapshot().status).toBe('aborted');
    expect(emu.upload(uploadId)?.status).toBe('aborted');
  });

  it('resume after a simulated reload re-sends at most one checkpoint batch', async () => {
    const batch = 4;
    emu.setFaults({ bandwidthBytesPerSec: 6 * MiB });
    const path = await makeTempFile(20 * MiB, 'reload.parquet');
    const storage = createMemoryStorage();
    const first = controller({
      resumeStore: createResumeStore({ storage }),
      checkpointBatchSize: batch,
      concurrency: 2,
    });
    await first.start(await fileAt(path));
    await vi.waitFor(
      () => expect(first.getSnapshot().progress.partsDone).toBeGreaterThanOrEqual(9),
      { timeout: 30_000 },
    );
    first.dispose(); // the tab is gone: no pause, no abort, in-flight PUTs cut
    const uploadId = first.getSnapshot().uploadId!;
    emu.setFaults({ bandwidthBytesPerSec: 0 });
    const storedBefore = emu.accounting().bytesStored;
    const resentBefore = emu.accounting().resentBytes;

    const second = controller({
      resumeStore: createResumeStore({ storage }),
      checkpointBatchSize: batch,
    });
    await second.start(await fileAt(path));
    const s = await second.settled();
    expect(s.status).toBe('completed');
    expect(s.uploadId).toBe(uploadId);
    expect(s.isResume).toBe(true);
    const resent = emu.accounting().resentBytes - resentBefore;
    expect(resent).toBeLessThanOrEqual(batch * PART);
    // every byte of the file reached storage at least once, and nothing beyond one batch twice
    expect(emu.accounting().bytesStored - storedBefore).toBeLessThanOrEqual(
      20 * MiB - 9 * PART + batch * PART,
    );
    expect((await downloaded('reload.parquet')).equals(readFileSync(path))).toBe(true);
    expect(Array.from(second.partStates).every((p) => p === PartState.checkpointed)).toBe(true);
  });

  it('detects a part corrupted in transit through the CRC-32C at complete', async () => {
    emu.setFaults({ partPut: { corruptRate: 1 } });
    const path = await makeTempFile(2 * MiB + 5, 'corrupt.parquet');
    const c = controller();
    await c.start(await fileAt(path));
    const s = await c.settled();
    expect(s.status).toBe('failed');
    expect(s.error).toMatchObject({ code: 'integrity_mismatch', resumable: false });
    expect(emu.upload(s.uploadId!)?.status).toBe('corrupt');
    // retry starts a fresh upload, which now goes through clean
    emu.setFaults({ partPut: { corruptRate: 0 } });
    c.retry();
    const again = await c.settled();
    expect(again.status).toBe('completed');
    expect((await downloaded('corrupt.parquet')).equals(readFileSync(path))).toBe(true);
  });

  it('never sends the API key to storage', async () => {
    expect(emu.accounting().storageAuthorizationHeaders).toBe(0);
    expect(emu.accounting().storageAuthorizationSamples).toEqual([]);
  });
});
