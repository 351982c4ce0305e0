/**
 * Hand-built upload states for stories, tests and demos: plain `UploadSnapshot` objects and
 * part-state arrays, no engine instance and no network. Deterministic (seeded), so screenshots
 * and assertions are stable. Import from `@atai-upload/progress-panel/fixtures`.
 */
import { errorFromResponse } from '@atai-upload/api-client';
import {
  type FileIdentity,
  initialSnapshot,
  PartState,
  type UploadActions,
  UploadError,
  type UploadErrorCode,
  type UploadProgress,
  type UploadSnapshot,
} from '@atai-upload/engine';
import { countPartStates } from './part-map-model.js';

/** A snapshot plus, when the upload has parts, their states. */
export interface UploadFixture {
  snapshot: UploadSnapshot;
  partStates?: Uint8Array;
}

/** Actions that do nothing (stories replace them with spies). */
export const noopActions: Partial<UploadActions> = {
  pause: () => false,
  resume: () => false,
  cancel: async () => false,
  retry: () => false,
  startOver: () => false,
};

/** A fixed clock so durations are the same on every run. */
export const FIXTURE_NOW = 1_763_000_000_000;

/** The headline file: 249 GB in 30,000 parts of 8.3 MB. */
export const BIG_FILE: FileIdentity = {
  name: 'lidar-sweeps-2024-q3.tar.zst',
  size: 249_000_000_000,
  type: 'application/zstd',
  lastModified: FIXTURE_NOW - 86_400_000,
};
const BIG_PART_SIZE = 8_300_000;
const BIG_PARTS = 30_000;

/** Counts per part state for {@link makePartStates}; the rest are pending. */
export interface PartMix {
  checkpointed?: number;
  uploaded?: number;
  uploading?: number;
  failed?: number;
}

// Park–Miller LCG: tiny, seeded, and identical on every platform.
function random(seed: number): () => number {
  let state = seed % 2_147_483_647 || 1;
  return () => {
    state = (state * 48_271) % 2_147_483_647;
    return state / 2_147_483_647;
  };
}

/**
 * Part states the way a running upload leaves them: a done region at the front (checkpointed,
 * then uploaded), a ragged frontier where concurrent workers finished out of order, in-flight
 * and failed parts just past it, and pending parts after. Counts are exact.
 */
export function makePartStates(numParts: number, mix: PartMix, seed = 7): Uint8Array {
  const states = new Uint8Array(numParts);
  const rand = random(seed);
  const checkpointed = Math.min(numParts, mix.checkpointed ?? 0);
  const uploaded = Math.min(numParts - checkpointed, mix.uploaded ?? 0);
  states.fill(PartState.checkpointed, 0, checkpointed);
  states.fill(PartState.uploaded, checkpointed, checkpointed + uploaded);
  const frontier = checkpointed + uploaded;
  // Ragged frontier: swap some finished parts just before it with pending parts just after.
  const swaps = Math.min(uploaded, numParts - frontier, Math.floor(uploaded / 4), 90);
  for (let k = 0; k < swaps; k++) {
    const a = frontier - 1 - Math.floor(rand() * Math.min(uploaded, 120));
    const b = frontier + Math.floor(rand() * Math.min(numParts - frontier, 160));
    if (states[a] === PartState.uploaded && states[b] === PartState.pending) {
      states[a] = PartState.pending;
      states[b] = PartState.uploaded;
    }
  }
  const place = (code: number, count: number, spread: number): void => {
    let placed = 0;
    let pos = Math.max(0, frontier - 40);
    while (placed < count && pos < numParts) {
      if (states[pos] === PartState.pending && rand() < 1 / spread) {
        states[pos] = code;
        placed += 1;
      }
      pos += 1;
      if (pos >= numParts && placed < count) pos = 0;
    }
  };
  place(PartState.uploading, Math.min(mix.uploading ?? 0, numParts - frontier), 3);
  place(PartState.failed, Math.min(mix.failed ?? 0, numParts - frontier), 9);
  return states;
}

/** Progress figures consistent with `partStates` (in-flight parts count as `inflight` sent). */
export function progressFromParts(
  partStates: Uint8Array,
  partSize: number,
  bytesTotal: number,
  options: { speedBps?: number; inflight?: number } = {},
): UploadProgress {
  const counts = countPartStates(partStates);
  const partsDone = counts.uploaded + counts.checkpointed;
  const bytesConfirmed = Math.min(bytesTotal, partsDone * partSize);
  const sending = counts.uploading * partSize * (options.inflight ?? 0.5);
  const bytesUploaded = Math.min(bytesTotal, Math.round(bytesConfirmed + sending));
  const speedBps = options.speedBps ?? 0;
  return {
    bytesUploaded,
    bytesConfirmed,
    bytesTotal,
    partsDone,
    partsTotal: partStates.length,
    speedBps,
    etaMs: speedBps > 0 ? ((bytesTotal - bytesUploaded) / speedBps) * 1000 : undefined,
    fraction: bytesTotal > 0 ? bytesUploaded / bytesTotal : 0,
  };
}

/** Overrides for {@link makeSnapshot}; `progress` may be partial. */
export type SnapshotOverrides = Partial<Omit<UploadSnapshot, 'progress'>> & {
  progress?: Partial<UploadProgress>;
};

/** An idle snapshot of `file` (`null` for none yet) with every field filled, then `overrides` applied. */
export function makeSnapshot(
  overrides: SnapshotOverrides = {},
  fileOrNull: FileIdentity | null = BIG_FILE,
): UploadSnapshot {
  const { progress, ...rest } = overrides;
  const file = fileOrNull ?? undefined;
  const total = file?.size ?? 0;
  const base = initialSnapshot(`upload-${file?.name ?? 'none'}`);
  return {
    ...base,
    file,
    checksum: 'disabled',
    ...rest,
    progress: { ...base.progress, bytesTotal: total, ...progress },
  };
}

/** A snapshot mid-transfer of `file`, with part states and progress that agree. */
function running(
  file: FileIdentity,
  partSize: number,
  numParts: number,
  mix: PartMix,
  overrides: SnapshotOverrides & { speedBps?: number; seed?: number } = {},
): UploadFixture {
  const { speedBps, seed, progress, ...rest } = overrides;
  const partStates = makePartStates(numParts, mix, seed);
  const counts = countPartStates(partStates);
  const snapshot = makeSnapshot(
    {
      status: 'uploading',
      uploadId: `up_${file.name.replace(/\W+/g, '').slice(0, 10)}`,
      fileUid: 'fil_01JD8ZK3Q4W9X2M7A5B6C8D0EF',
      partSize,
      numParts,
      integrityAlgorithm: 'crc32c',
      checksum: 'computing',
      uncheckpointedParts: counts.uploaded,
      partsVersion: counts.total - counts.pending,
      startedAt: FIXTURE_NOW - 9 * 60_000,
      ...rest,
      progress: {
        ...progressFromParts(partStates, partSize, file.size, { speedBps }),
        ...progress,
      },
    },
    file,
  );
  return { snapshot, partStates };
}

const big = (mix: PartMix, overrides?: Parameters<typeof running>[4]) =>
  running(BIG_FILE, BIG_PART_SIZE, BIG_PARTS, mix, overrides);

const MIB = 1024 * 1024;
const midway: PartMix = { checkpointed: 11_800, uploaded: 404, uploading: 8 };
const allDone: PartMix = { checkpointed: 29_936, uploaded: 64 };

function failed(
  code: UploadErrorCode,
  message: string,
  opts: ConstructorParameters<typeof UploadError>[2],
  at: UploadFixture,
): UploadFixture {
  return {
    partStates: at.partStates,
    snapshot: {
      ...at.snapshot,
      status: 'failed',
      retryingParts: 0,
      refreshingUrls: false,
      checksum: at.snapshot.checksum === 'computing' ? 'ready' : at.snapshot.checksum,
      error: new UploadError(code, message, opts),
      finishedAt: undefined,
      progress: { ...at.snapshot.progress, speedBps: 0, etaMs: undefined },
    },
  };
}

const completed = big(
  { checkpointed: BIG_PARTS },
  {
    status: 'completed',
    checksum: 'verified',
    uncheckpointedParts: 0,
    startedAt: FIXTURE_NOW - 23 * 60_000 - 41_000,
    finishedAt: FIXTURE_NOW,
    result: {
      file_uid: 'fil_01JD8ZK3Q4W9X2M7A5B6C8D0EF',
      file_name: BIG_FILE.name,
      num_bytes: BIG_FILE.size,
      file_status: 'Registered',
    },
    progress: { speedBps: 0, etaMs: undefined },
  },
);
const idle: UploadFixture = { snapshot: makeSnapshot({ id: 'upload-idle' }) };
const uploading = big(midway, { speedBps: 182 * MIB });
const completing = big(allDone, {
  status: 'completing',
  checksum: 'computing',
  progress: { speedBps: 0, etaMs: undefined },
});

function interrupted(handle: 'stored' | 'none'): UploadFixture {
  const parts = 11_800;
  return {
    snapshot: makeSnapshot({
      status: 'interrupted',
      uploadId: 'up_lidarsweep',
      partSize: BIG_PART_SIZE,
      numParts: BIG_PARTS,
      recovery: {
        handle,
        partsOnServer: parts,
        bytesOnServer: parts * BIG_PART_SIZE,
        partsHeld: 6,
        bytesHeld: 6 * BIG_PART_SIZE,
        createdAt: FIXTURE_NOW - 5 * 3600_000,
        lastActiveAt: FIXTURE_NOW - 42 * 60_000,
      },
      progress: {
        bytesConfirmed: (parts + 6) * BIG_PART_SIZE,
        bytesUploaded: (parts + 6) * BIG_PART_SIZE,
        fraction: ((parts + 6) * BIG_PART_SIZE) / BIG_FILE.size,
        partsTotal: BIG_PARTS,
      },
    }),
  };
}

function inOtherTab(status: 'uploading' | 'paused'): UploadFixture {
  const owner = big(midway, {
    speedBps: status === 'uploading' ? 168 * MIB : 0,
    ...(status === 'paused' ? { progress: { etaMs: undefined } } : {}),
  });
  const s = owner.snapshot;
  return {
    snapshot: {
      ...s,
      status: 'elsewhere',
      remote: {
        status,
        pauseReason: status === 'paused' ? 'user' : undefined,
        progress: s.progress,
        checksum: s.checksum,
        error: undefined,
        result: undefined,
      },
    },
  };
}

/** Every engine state and sub-state, by story name. */
export const fixtures = {
  idle,
  preparing: {
    snapshot: makeSnapshot({ status: 'preparing', checksum: 'disabled', startedAt: FIXTURE_NOW }),
  },
  initiating: {
    snapshot: makeSnapshot({
      status: 'initiating',
      checksum: 'computing',
      integrityAlgorithm: 'crc32c',
      startedAt: FIXTURE_NOW,
    }),
  },
  uploading,
  retrying: big(
    { ...midway, uploading: 6, failed: 2 },
    { retryingParts: 2, speedBps: 96 * MIB, seed: 11 },
  ),
  pausedUser: big(midway, {
    status: 'paused',
    pauseReason: 'user',
    progress: { speedBps: 0, etaMs: undefined },
  }),
  pausedOffline: big(
    { checkpointed: 11_800, uploaded: 404 },
    { status: 'paused', pauseReason: 'offline', progress: { speedBps: 0, etaMs: undefined } },
  ),
  // The API refused the credentials even after a fresh token was asked for.
  pausedAuth: big(
    { checkpointed: 11_800, uploaded: 404 },
    { status: 'paused', pauseReason: 'auth', progress: { speedBps: 0, etaMs: undefined } },
  ),
  refreshingUrls: big(midway, { refreshingUrls: true, speedBps: 141 * MIB }),
  completing,
  completed,
  // Completed under a page policy that refused the CRC-32C code (integrity: 'preferred').
  completedNoChecksum: {
    ...completed,
    snapshot: { ...completed.snapshot, checksum: 'unavailable' },
  },
  failedNetwork: failed(
    'network',
    'PUT part 12,207 failed 6 times: TypeError: Failed to fetch',
    { resumable: true },
    big(midway),
  ),
  failedUrlExpired: failed(
    'url_expired',
    'Storage answered 403 "Request has expired" for part 9,812 and refreshing the links failed',
    { resumable: true, status: 403 },
    big({ checkpointed: 9_700, uploaded: 110 }),
  ),
  failedCorrupt: failed(
    'integrity_mismatch',
    'Complete answered file_status "Corrupt": CRC-32C 3q2+7w== expected, storage computed AAECAw==',
    { resumable: false, status: 400 },
    { ...completing, snapshot: { ...completing.snapshot, checksum: 'ready' } },
  ),
  failedConflict: failed(
    'upload_conflict',
    'Initiate answered 409: an unfinished upload of "lidar-sweeps-2024-q3.tar.zst" has a different size',
    { resumable: false, status: 409 },
    {
      snapshot: makeSnapshot({
        status: 'initiating',
        integrityAlgorithm: 'crc32c',
        checksum: 'ready',
      }),
    },
  ),
  // The API's documented envelope with two errors, each with its suggestion and error id.
  failedServerErrors: failed(
    'rejected',
    'Initiate upload failed (400)',
    {
      resumable: true,
      status: 400,
      cause: errorFromResponse('initiate', {
        status: 400,
        headers: {},
        data: {
          errors: [
            {
              code: 'invalid_file_type',
              message: 'Unsupported file type: application/octet-stream',
              suggestion:
                'Supported types: image/jpeg, image/png, video/mp4, text/csv, text/plain, application/json',
              error_uid: 'err-5f0c9a1e-2b7d-4c3e-9a86-1d2e3f405a6b',
            },
            {
              code: 'invalid_file_size',
              message: 'num_bytes must be at most 268435456000',
              error_uid: 'err-5f0c9a1e-2b7d-4c3e-9a86-1d2e3f405a6b',
            },
          ],
        },
      }),
    },
    {
      snapshot: makeSnapshot({
        status: 'initiating',
        integrityAlgorithm: 'crc32c',
        checksum: 'ready',
      }),
    },
  ),
  failedUnreadable: failed(
    'file_unreadable',
    'The file could not be read: NotReadableError: The requested file could not be read',
    { resumable: true },
    big({ checkpointed: 4_120, uploaded: 96 }),
  ),
  failedMissingEtag: failed(
    'missing_etag',
    'PUT part 1 returned 200 but the ETag response header is not exposed to the page',
    { resumable: false, status: 200 },
    big({}, { checksum: 'computing' }),
  ),
  aborting: big(midway, { status: 'aborting', progress: { speedBps: 0, etaMs: undefined } }),
  aborted: big(midway, {
    status: 'aborted',
    checksum: 'disabled',
    finishedAt: FIXTURE_NOW,
    progress: { speedBps: 0, etaMs: undefined },
  }),
  resumed: big(
    { checkpointed: 18_400, uploaded: 220, uploading: 8 },
    {
      isResume: true,
      resumedBytes: 18_000 * BIG_PART_SIZE,
      speedBps: 176 * MIB,
      seed: 3,
    },
  ),
  // A reload left it unfinished: known from the resume record, before any pick or request.
  interruptedNoHandle: interrupted('none'),
  interruptedWithHandle: interrupted('stored'),
  // Resume was clicked: the browser is asking the user to allow reading the file again.
  reopening: { snapshot: { ...interrupted('stored').snapshot, status: 'reopening' } },
  // The stored handle did not give the file back (access refused): pick it instead.
  interruptedNotReopened: {
    snapshot: {
      ...interrupted('stored').snapshot,
      error: new UploadError(
        'file_unreadable',
        `The browser did not allow reading "${BIG_FILE.name}" again. Resume and allow access, or pick the file.`,
        { resumable: true },
      ),
    },
  },
  // Another tab of the site uploads this file; its progress is mirrored here.
  elsewhere: inOtherTab('uploading'),
  elsewherePaused: inOtherTab('paused'),
} satisfies Record<string, UploadFixture>;

/** Name of a fixture in {@link fixtures}. */
export type FixtureName = keyof typeof fixtures;

/** 30,000 parts in every state, for the part map on its own. */
export const partMap30k: Uint8Array = makePartStates(
  30_000,
  { checkpointed: 13_950, uploaded: 1_250, uploading: 12, failed: 3 },
  5,
);

/** A queue of several files in different states. */
export const queueFixture: UploadFixture[] = [
  { ...uploading, snapshot: { ...uploading.snapshot, id: 'q-lidar' } },
  running(
    {
      name: 'drone-flight-0417.mp4',
      size: 18_734_219_776,
      type: 'video/mp4',
      lastModified: FIXTURE_NOW,
    },
    16 * MIB,
    1_117,
    { checkpointed: 1_117 },
    {
      id: 'q-drone',
      status: 'completed',
      checksum: 'verified',
      startedAt: FIXTURE_NOW - 4 * 60_000 - 12_000,
      finishedAt: FIXTURE_NOW - 30_000,
      result: {
        file_uid: 'fil_01JD8ZM1V7T2R9K4P6Q3S5W8XY',
        file_name: 'drone-flight-0417.mp4',
        num_bytes: 18_734_219_776,
        file_status: 'Registered',
      },
    },
  ),
  failed(
    'network',
    'PUT part 212 failed 6 times: TypeError: Failed to fetch',
    { resumable: true },
    running(
      {
        name: 'telemetry-2024-09.csv',
        size: 3_221_225_472,
        type: 'text/csv',
        lastModified: FIXTURE_NOW,
      },
      8 * MIB,
      384,
      { checkpointed: 200, uploaded: 11 },
      { id: 'q-telemetry', seed: 9 },
    ),
  ),
  running(
    {
      name: 'camera-calibration.zip',
      size: 734_003_200,
      type: 'application/zip',
      lastModified: FIXTURE_NOW,
    },
    8 * MIB,
    88,
    { checkpointed: 30, uploaded: 4 },
    {
      id: 'q-calibration',
      status: 'paused',
      pauseReason: 'offline',
      progress: { speedBps: 0, etaMs: undefined },
    },
  ),
  {
    snapshot: makeSnapshot(
      { id: 'q-notes' },
      {
        name: 'field-notes.pdf',
        size: 4_718_592,
        type: 'application/pdf',
        lastModified: FIXTURE_NOW,
      },
    ),
  },
];
