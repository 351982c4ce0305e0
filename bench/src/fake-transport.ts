import type { FilesApiClient, PartUploader, PresignedPart } from '@atai-upload/api-client';

/** Runs a callback on a later macrotask. */
export type Tick = (fn: () => void) => void;

/** Node's next macrotask. */
const nodeTick: Tick = (fn) => setImmediate(fn);

/**
 * A transport that moves no bytes: initiate hands out every part URL, PUTs
 * answer with an ETag on the next tick. What remains is pure engine overhead.
 * `tick` schedules a PUT's answer (browsers have no `setImmediate`).
 */
export function fakeTransport(partSize: number, tick: Tick = nodeTick) {
  let total = 0;
  let numParts = 0;
  const stats = { puts: 0, checkpoints: 0, checkpointedParts: 0, refreshes: 0 };
  const expires = () => new Date(Date.now() + 3_600_000).toISOString();
  const part = (n: number, at: string): PresignedPart => ({
    part_number: n,
    url: `https://storage.invalid/upl_bench/${n}?expires=9999999999&signature=${'0'.repeat(64)}`,
    offset: n * partSize,
    length: Math.min(partSize, total - n * partSize),
    expires_at: at,
  });
  const api: FilesApiClient = {
    baseUrl: 'https://api.invalid/v0.5',
    async initiateUpload(req) {
      total = req.num_bytes;
      numParts = Math.ceil(total / partSize);
      const at = expires();
      return {
        upload_id: 'upl_bench',
        file_uid: 'fil_bench',
        file_name: req.filename,
        total_bytes: total,
        num_parts: numParts,
        part_size: partSize,
        is_resume: false,
        integrity_algorithm: 'crc32c',
        parts: Array.from({ length: numParts }, (_, n) => part(n, at)),
      };
    },
    async refreshPartUrls(_id, numbers) {
      stats.refreshes++;
      const at = expires();
      return { parts: numbers.map((n) => part(n, at)) };
    },
    async checkpointParts(_id, parts) {
      stats.checkpoints++;
      stats.checkpointedParts += parts.length;
      return { num_checkpointed: parts.length };
    },
    async completeUpload(_id, body) {
      return {
        file_uid: 'fil_bench',
        file_name: 'bench.parquet',
        num_bytes: total,
        file_status: 'Registered',
        parts: body.parts.length,
      };
    },
    async abortUpload() {},
    async getFileMetadata() {
      return {};
    },
  };
  const storage: PartUploader = {
    async putPart({ body, onProgress }) {
      stats.puts++;
      onProgress?.(body.size / 2);
      await new Promise<void>((r) => tick(r));
      onProgress?.(body.size);
      return { etag: `"${stats.puts.toString(16).padStart(32, '0')}"` };
    },
  };
  return { api, storage, stats };
}

/** A File-shaped object of any size whose slices hold no bytes. */
export function hollowFile(size: number, name: string): File {
  const hollow = (s: number): Blob =>
    ({
      size: s,
      type: '',
      slice: (a = 0, b = s) => hollow(Math.max(0, Math.min(b, s) - a)),
      arrayBuffer: async () => new ArrayBuffer(0),
    }) as unknown as Blob;
  return Object.assign(hollow(size), {
    name,
    lastModified: 0,
    type: 'application/x-parquet',
  }) as unknown as File;
}

/**
 * A CRC hasher that answers on a later macrotask, as the engine's Web Worker does
 * (postMessage): an instant `async` answer would run the hashing loop over every part
 * in one task, a long task no real upload has.
 */
export function fakePartHasher(tick: Tick = nodeTick) {
  return {
    hash: () => new Promise<number>((resolve) => tick(() => resolve(0x12345678))),
    dispose() {},
  };
}
