import { type Blob as NodeBlob, File as NodeFile } from 'node:buffer';
import { createHash, randomBytes } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningEmulator, startEmulator } from '@atai-upload/emulator';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import axios from 'axios';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createFilesApiClient,
  createInlinePartHasher,
  createMemoryStorage,
  createPartUploader,
  createResumeStore,
  type UploadController,
  type UploadSnapshot,
  useMultipartUpload,
} from '../src/index.js';
import { providers } from './helpers.js';

// happy-dom replaces XMLHttpRequest, which axios would pick in a DOM environment; the
// Node http adapter makes every request a real HTTP request to the emulator.
const httpAxios = () => axios.create({ adapter: 'http' });

const MiB = 1024 * 1024;
const FILE_BYTES = 20 * MiB + 12_345; // 21 parts of 1 MiB, the last one short
const LONG = { timeout: 60_000, interval: 20 };

let emu: RunningEmulator;
let dir: string;
let path: string;
let sha256: string;

function sha(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The temp file as a `File` backed by the disk (never read into memory). Node's `File`,
 * not happy-dom's: happy-dom's Blob would stringify a Node blob part, and axios' http
 * adapter streams only Blobs it recognises. The engine needs just `size`, `name`, `type`,
 * `lastModified` and `slice`, which both have.
 */
async function fileNamed(name: string): Promise<File> {
  // @types/node types this as the DOM Blob, although it is Node's.
  const blob = (await openAsBlob(path)) as unknown as NodeBlob;
  const file = new NodeFile([blob], name, {
    type: 'application/octet-stream',
    lastModified: 1_700_000_000_000,
  });
  return file as unknown as File;
}

async function download(name: string): Promise<Uint8Array> {
  const res = await axios.get<ArrayBuffer>(
    `${emu.apiUrl}/files/download/${encodeURIComponent(name)}`,
    {
      adapter: 'http',
      responseType: 'arraybuffer',
      headers: { Authorization: `Bearer ${emu.apiKey}` },
    },
  );
  return new Uint8Array(res.data);
}

function options() {
  return {
    api: createFilesApiClient({
      baseUrl: emu.apiUrl,
      apiKey: emu.apiKey,
      axiosInstance: httpAxios(),
    }),
    partUploader: createPartUploader({ axiosInstance: httpAxios() }),
    partHasher: createInlinePartHasher(),
    resumeStore: createResumeStore({ storage: createMemoryStorage() }),
    retry: { baseDelayMs: 50, maxDelayMs: 500 },
  };
}

/** Waits for the upload to settle; a failure shows its error rather than a timeout. */
async function settled(controller: UploadController): Promise<UploadSnapshot> {
  const s = await controller.settled();
  expect(s.error, s.error && `${s.error.code}: ${s.error.message}`).toBeUndefined();
  expect(s.status).toBe('completed');
  return s;
}

function renderUploader() {
  const { Wrapper } = providers(true);
  return renderHook(() => useMultipartUpload(options()), { wrapper: Wrapper });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atai-react-int-'));
  path = join(dir, 'big.parquet');
  const bytes = randomBytes(FILE_BYTES);
  sha256 = sha(bytes);
  await writeFile(path, bytes);
  emu = await startEmulator({
    apiPort: 0,
    storagePort: 0,
    dataDir: join(dir, 'emulator'),
    partSize: MiB,
    urlTtlSeconds: 600,
    integrity: 'crc32c',
    apiKey: 'react-int-key',
  });
});

afterEach(() => {
  cleanup();
  emu.setFaults({ bandwidthBytesPerSec: 0 });
});

afterAll(async () => {
  await emu?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('useMultipartUpload against the emulator over HTTP', () => {
  it('uploads a 20 MiB file; the download is identical and the CRC-32C was verified', async () => {
    const { result } = renderUploader();
    const file = await fileNamed('whole.parquet');
    await act(() => result.current.start(file));
    const s = await settled(result.current.controller);
    expect(s.checksum).toBe('verified');
    expect(s.integrityAlgorithm).toBe('crc32c');
    expect(s.numParts).toBe(21);
    expect(s.progress).toMatchObject({ bytesUploaded: FILE_BYTES, fraction: 1, partsDone: 21 });
    expect(s.result).toMatchObject({ file_name: 'whole.parquet', num_bytes: FILE_BYTES });
    expect(emu.upload(s.uploadId!)?.status).toBe('completed');
    expect(sha(await download('whole.parquet'))).toBe(sha256);
  });

  it('pauses mid-upload and resumes to completion', async () => {
    emu.setFaults({ bandwidthBytesPerSec: 2 * MiB }); // slow enough to pause in the middle
    const { result } = renderUploader();
    await act(async () => result.current.start(await fileNamed('paused.parquet')));
    await waitFor(
      () => expect(result.current.state.progress.partsDone).toBeGreaterThanOrEqual(2),
      LONG,
    );
    act(() => {
      expect(result.current.pause()).toBe(true);
    });
    expect(result.current.state.status).toBe('paused');
    const uploadId = result.current.state.uploadId!;
    const storedAtPause = emu.upload(uploadId)!.uploadedParts.length;
    expect(storedAtPause).toBeGreaterThanOrEqual(2);
    expect(storedAtPause).toBeLessThan(21);
    emu.setFaults({ bandwidthBytesPerSec: 0 });
    act(() => {
      expect(result.current.resume()).toBe(true);
    });
    const s = await settled(result.current.controller);
    expect(s.isResume).toBe(true);
    expect(s.uploadId).toBe(uploadId);
    expect(s.checksum).toBe('verified');
    expect(sha(await download('paused.parquet'))).toBe(sha256);
  });

  it('cancels: the emulator aborts the upload', async () => {
    emu.setFaults({ bandwidthBytesPerSec: 2 * MiB });
    const { result } = renderUploader();
    await act(async () => result.current.start(await fileNamed('cancelled.parquet')));
    await waitFor(() => expect(result.current.state.status).toBe('uploading'), LONG);
    const uploadId = result.current.state.uploadId!;
    await act(async () => {
      expect(await result.current.cancel()).toBe(true);
    });
    expect(result.current.state.status).toBe('aborted');
    expect(emu.upload(uploadId)?.status).toBe('aborted');
  });

  it('never sent an Authorization header to the storage origin', () => {
    expect(emu.accounting().storageAuthorizationHeaders).toBe(0);
  });
});

// Keeps the temp file honest: the bytes compared above are the bytes on disk.
it('the temp file on disk has the expected content', async () => {
  expect(sha(await readFile(path))).toBe(sha256);
});
