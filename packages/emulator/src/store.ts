import { appendFile, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isNotFound, Mutex, mapLimit, randomSuffix, writeFileAtomic } from './fs-util.js';
import type { IntegrityAlgorithm, StorageKind, UploadSnapshot, UploadStatus } from './types.js';

/*
 * On-disk layout (never derived from client-supplied names):
 *   <dataDir>/uploads/<upload_id>/upload.json        immutable metadata
 *   <dataDir>/uploads/<upload_id>/status             in_progress | completed | aborted | corrupt
 *   <dataDir>/uploads/<upload_id>/parts/<n>.json     {etag, crc32c, length, file}, one per stored part
 *   <dataDir>/uploads/<upload_id>/parts/<n>.<r>.bin  the part's bytes (local storage only)
 *   <dataDir>/uploads/<upload_id>/checkpoints.jsonl  append-only {part_number, part_token}
 *   <dataDir>/files/<file_uid>/file.json             completed (or corrupt) file metadata
 *   <dataDir>/files/<file_uid>/parts/                the upload's parts dir, moved here on complete
 *   <dataDir>/tmp/                                   bodies being received; emptied at start-up
 * Each event writes O(1) small files, so a 32,000-part upload stays cheap. With `discard`
 * storage no .bin file is written; with `s3` the bucket holds the parts and the object, and
 * only upload.json, status, checkpoints.jsonl and file.json live here.
 */

/** Immutable facts about an upload, fixed at initiate. */
export interface UploadMeta {
  uploadId: string;
  fileUid: string;
  filename: string;
  fileType: string;
  numBytes: number;
  partSize: number;
  numParts: number;
  integrity: IntegrityAlgorithm;
  createdAt: string;
  /** Monotonic ordering key ("newest" in-progress upload or file for a name). */
  seq: number;
  /** The store's own multipart upload id (`s3` storage). */
  storageUploadId?: string;
}

/** A successfully stored part (with `s3` storage: as the bucket last listed it). */
export interface StoredPart {
  /** Quoted MD5 hex, exactly as sent in the ETag header. */
  etag: string;
  /** Computed while the body streamed in; unknown for parts that went to a bucket. */
  crc32c?: number;
  length: number;
  /** File name inside the parts directory; absent when the bytes are not kept here. */
  file?: string;
}

/** A presigned URL handed out for a part (memory only: reuse is an optimisation). */
export interface IssuedUrl {
  url: string;
  expires: number;
  issuedAtMs: number;
}

/** Live state of one upload. */
export interface Upload {
  readonly meta: UploadMeta;
  status: UploadStatus;
  /** Stored parts; emptied when the upload is aborted or finished. */
  parts: Map<number, StoredPart>;
  checkpoints: Map<number, string>;
  issued: Map<number, IssuedUrl>;
  /** Serialises part commits, checkpoints, complete and abort. */
  readonly mutex: Mutex;
}

/** File status as reported by metadata routes. */
export type FileStatus = 'Registered' | 'Corrupt';

/** A completed (or corrupt) file. */
export interface StoredFile {
  fileUid: string;
  fileName: string;
  fileType: string;
  numBytes: number;
  status: FileStatus;
  uploadId: string;
  createdAt: string;
  seq: number;
  /** Part file names in part order, inside `files/<file_uid>/parts` (local storage). */
  partFiles: string[];
  /** Where the bytes are: absent for the data dir, `discard` (not kept) or `s3` (the bucket). */
  storage?: 'discard' | 's3';
}

const UPLOAD_ID_RE = /^upl_[a-z0-9]{26}$/;
const FILE_UID_RE = /^fil_[a-z0-9]{26}$/;
const STATUSES: readonly UploadStatus[] = ['in_progress', 'completed', 'aborted', 'corrupt'];

/** Whether a string is shaped like an upload id (ids double as directory names). */
export function isUploadId(value: string): boolean {
  return UPLOAD_ID_RE.test(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8')) as unknown;
}

function parseMeta(value: unknown): UploadMeta | undefined {
  if (!isRecord(value)) return undefined;
  const m = value as Partial<UploadMeta>;
  const ok =
    typeof m.uploadId === 'string' &&
    isUploadId(m.uploadId) &&
    typeof m.fileUid === 'string' &&
    FILE_UID_RE.test(m.fileUid) &&
    typeof m.filename === 'string' &&
    typeof m.fileType === 'string' &&
    typeof m.numBytes === 'number' &&
    typeof m.partSize === 'number' &&
    typeof m.numParts === 'number' &&
    (m.integrity === 'crc32c' || m.integrity === 'none') &&
    typeof m.createdAt === 'string' &&
    typeof m.seq === 'number' &&
    (m.storageUploadId === undefined || typeof m.storageUploadId === 'string');
  return ok ? (m as UploadMeta) : undefined;
}

function parseStoredPart(value: unknown): StoredPart | undefined {
  if (!isRecord(value)) return undefined;
  const { etag, crc32c, length, file } = value;
  if (
    typeof etag !== 'string' ||
    typeof crc32c !== 'number' ||
    typeof length !== 'number' ||
    (file !== undefined && (typeof file !== 'string' || !/^\d+\.[0-9a-f]+\.bin$/.test(file)))
  ) {
    return undefined;
  }
  return file === undefined ? { etag, crc32c, length } : { etag, crc32c, length, file };
}

function parseFile(value: unknown): StoredFile | undefined {
  if (!isRecord(value)) return undefined;
  const f = value as Partial<StoredFile>;
  const ok =
    typeof f.fileUid === 'string' &&
    FILE_UID_RE.test(f.fileUid) &&
    typeof f.fileName === 'string' &&
    typeof f.fileType === 'string' &&
    typeof f.numBytes === 'number' &&
    (f.status === 'Registered' || f.status === 'Corrupt') &&
    typeof f.uploadId === 'string' &&
    typeof f.createdAt === 'string' &&
    typeof f.seq === 'number' &&
    (f.storage === undefined || f.storage === 'discard' || f.storage === 's3') &&
    Array.isArray(f.partFiles) &&
    f.partFiles.every((p) => typeof p === 'string' && /^\d+\.[0-9a-f]+\.bin$/.test(p));
  return ok ? (f as StoredFile) : undefined;
}

/** Outcome of committing a received part. */
export type CommitResult = { ok: true; replaced: boolean } | { ok: false; status: UploadStatus };

/** Durable store of uploads, parts, checkpoints and completed files. */
export class Store {
  readonly dataDir: string;
  readonly #uploads = new Map<string, Upload>();
  readonly #files = new Map<string, StoredFile>();
  readonly #pending = new Set<Promise<unknown>>();
  #lastSeq = 0;
  #log: (line: string) => void;

  private constructor(dataDir: string, log: (line: string) => void) {
    this.dataDir = dataDir;
    this.#log = log;
  }

  /** Opens (creating if needed) the store in `dataDir` and loads everything in it. */
  static async open(dataDir: string, log: (line: string) => void = () => {}): Promise<Store> {
    const store = new Store(dataDir, log);
    await store.#ensureDirs();
    await rm(store.#tmpDir, { recursive: true, force: true });
    await mkdir(store.#tmpDir, { recursive: true });
    await store.#loadFiles();
    await store.#loadUploads();
    return store;
  }

  get #uploadsDir(): string {
    return join(this.dataDir, 'uploads');
  }

  get #filesDir(): string {
    return join(this.dataDir, 'files');
  }

  get #tmpDir(): string {
    return join(this.dataDir, 'tmp');
  }

  #uploadDir(uploadId: string): string {
    return join(this.#uploadsDir, uploadId);
  }

  #partsDir(uploadId: string): string {
    return join(this.#uploadDir(uploadId), 'parts');
  }

  #fileDir(fileUid: string): string {
    return join(this.#filesDir, fileUid);
  }

  async #ensureDirs(): Promise<void> {
    await mkdir(this.#uploadsDir, { recursive: true });
    await mkdir(this.#filesDir, { recursive: true });
    await mkdir(this.#tmpDir, { recursive: true });
  }

  /** Records a write so `flush()` can wait for it. */
  #track<T>(promise: Promise<T>): Promise<T> {
    this.#pending.add(promise);
    const done = (): void => {
      this.#pending.delete(promise);
    };
    promise.then(done, done);
    return promise;
  }

  /** Waits until every write started so far has settled. */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /** A monotonic ordering key, close to Date.now(). */
  nextSeq(): number {
    this.#lastSeq = Math.max(Date.now(), this.#lastSeq + 1);
    return this.#lastSeq;
  }

  async #loadFiles(): Promise<void> {
    const names = (await readdir(this.#filesDir)).filter((n) => FILE_UID_RE.test(n));
    await mapLimit(names, 32, async (name) => {
      try {
        const file = parseFile(await readJson(join(this.#fileDir(name), 'file.json')));
        if (file && file.fileUid === name) {
          this.#files.set(file.fileUid, file);
          this.#lastSeq = Math.max(this.#lastSeq, file.seq);
        }
      } catch (err) {
        if (!isNotFound(err))
          this.#log(`emulator: skipping unreadable file ${name}: ${String(err)}`);
      }
    });
  }

  async #loadUploads(): Promise<void> {
    const names = (await readdir(this.#uploadsDir)).filter(isUploadId);
    await mapLimit(names, 8, async (name) => {
      try {
        await this.#loadUpload(name);
      } catch (err) {
        this.#log(`emulator: skipping unreadable upload ${name}: ${String(err)}`);
      }
    });
  }

  async #loadUpload(uploadId: string): Promise<void> {
    const dir = this.#uploadDir(uploadId);
    const meta = parseMeta(await readJson(join(dir, 'upload.json')));
    if (!meta || meta.uploadId !== uploadId) throw new Error('invalid upload.json');
    this.#lastSeq = Math.max(this.#lastSeq, meta.seq);
    let status: UploadStatus = 'in_progress';
    try {
      const raw = (await readFile(join(dir, 'status'), 'utf8')).trim();
      if ((STATUSES as readonly string[]).includes(raw)) status = raw as UploadStatus;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const upload: Upload = {
      meta,
      status,
      parts: new Map(),
      checkpoints: new Map(),
      issued: new Map(),
      mutex: new Mutex(),
    };
    // file.json is written before the status file, so it is the authority on completion.
    const file = this.#files.get(meta.fileUid);
    if (file) {
      upload.status = file.status === 'Corrupt' ? 'corrupt' : 'completed';
      this.#uploads.set(uploadId, upload);
      return;
    }
    if (status === 'completed' || status === 'corrupt' || status === 'in_progress') {
      // A crash between moving the parts and writing file.json: move them back.
      const moved = join(this.#fileDir(meta.fileUid), 'parts');
      if (await exists(moved)) {
        await rm(this.#partsDir(uploadId), { recursive: true, force: true });
        await rename(moved, this.#partsDir(uploadId));
        await rm(this.#fileDir(meta.fileUid), { recursive: true, force: true });
      }
      upload.status = 'in_progress';
    }
    if (upload.status === 'in_progress') {
      await this.#loadParts(upload);
      await this.#loadCheckpoints(upload);
    }
    this.#uploads.set(uploadId, upload);
  }

  async #loadParts(upload: Upload): Promise<void> {
    const dir = this.#partsDir(upload.meta.uploadId);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    const present = new Set(names);
    await mapLimit(
      names.filter((n) => /^\d+\.json$/.test(n)),
      64,
      async (name) => {
        const partNumber = Number(name.slice(0, -5));
        const part = parseStoredPart(await readJson(join(dir, name)).catch(() => undefined));
        if (
          part &&
          partNumber < upload.meta.numParts &&
          (part.file === undefined || present.has(part.file))
        ) {
          upload.parts.set(partNumber, part);
        }
      },
    );
    // Bytes not referenced by any part record are leftovers of an interrupted commit.
    const referenced = new Set<string | undefined>([...upload.parts.values()].map((p) => p.file));
    await Promise.all(
      names
        .filter((n) => !n.endsWith('.json') && !referenced.has(n))
        .map((n) => rm(join(dir, n), { force: true })),
    );
  }

  async #loadCheckpoints(upload: Upload): Promise<void> {
    let text: string;
    try {
      text = await readFile(
        join(this.#uploadDir(upload.meta.uploadId), 'checkpoints.jsonl'),
        'utf8',
      );
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        const entry: unknown = JSON.parse(line);
        if (
          isRecord(entry) &&
          typeof entry.part_number === 'number' &&
          typeof entry.part_token === 'string'
        ) {
          upload.checkpoints.set(entry.part_number, entry.part_token);
        }
      } catch {
        // A torn final line from a crash mid-append: the checkpoint never happened.
      }
    }
  }

  /** The upload with this id, if any. */
  get(uploadId: string): Upload | undefined {
    return this.#uploads.get(uploadId);
  }

  /** The newest in-progress upload for a file name. */
  findResumable(filename: string): Upload | undefined {
    let best: Upload | undefined;
    for (const u of this.#uploads.values()) {
      if (u.status !== 'in_progress' || u.meta.filename !== filename) continue;
      if (!best || u.meta.seq > best.meta.seq) best = u;
    }
    return best;
  }

  /** Persists a new upload and registers it. */
  async createUpload(meta: UploadMeta): Promise<Upload> {
    const dir = this.#uploadDir(meta.uploadId);
    await this.#track(
      (async () => {
        await mkdir(join(dir, 'parts'), { recursive: true });
        await writeFileAtomic(join(dir, 'upload.json'), `${JSON.stringify(meta)}\n`);
        await writeFileAtomic(join(dir, 'status'), 'in_progress\n');
      })(),
    );
    const upload: Upload = {
      meta,
      status: 'in_progress',
      parts: new Map(),
      checkpoints: new Map(),
      issued: new Map(),
      mutex: new Mutex(),
    };
    this.#uploads.set(meta.uploadId, upload);
    return upload;
  }

  /** A fresh path in the temp dir for a body being received. */
  tempPath(): string {
    return join(this.#tmpDir, `${randomSuffix()}${randomSuffix()}.part`);
  }

  /**
   * Moves a fully received, verified body into place as part `partNumber` and
   * records its ETag and CRC. The bytes get a unique name and the small JSON
   * record is swapped atomically, so a crash leaves either the old or the new part.
   * Without `tempFile` (discard storage) only the record is written.
   */
  commitPart(
    upload: Upload,
    partNumber: number,
    tempFile: string | undefined,
    part: Omit<StoredPart, 'file'>,
  ): Promise<CommitResult> {
    return this.#track(
      upload.mutex.run(async (): Promise<CommitResult> => {
        if (upload.status !== 'in_progress' || this.#uploads.get(upload.meta.uploadId) !== upload) {
          if (tempFile) await rm(tempFile, { force: true });
          return { ok: false, status: upload.status };
        }
        const dir = this.#partsDir(upload.meta.uploadId);
        let record: StoredPart = { ...part };
        if (tempFile) {
          const file = `${partNumber}.${randomSuffix()}.bin`;
          await rename(tempFile, join(dir, file));
          record = { ...part, file };
        }
        await writeFileAtomic(join(dir, `${partNumber}.json`), `${JSON.stringify(record)}\n`);
        const previous = upload.parts.get(partNumber);
        upload.parts.set(partNumber, record);
        if (previous?.file) await rm(join(dir, previous.file), { force: true });
        return { ok: true, replaced: previous !== undefined };
      }),
    );
  }

  /** Appends checkpoint tokens (call with the upload's mutex held). */
  async appendCheckpoints(
    upload: Upload,
    entries: ReadonlyArray<{ partNumber: number; token: string }>,
  ): Promise<void> {
    if (entries.length === 0) return;
    const lines = entries
      .map((e) => JSON.stringify({ part_number: e.partNumber, part_token: e.token }))
      .join('\n');
    await this.#track(
      appendFile(join(this.#uploadDir(upload.meta.uploadId), 'checkpoints.jsonl'), `${lines}\n`),
    );
    for (const e of entries) upload.checkpoints.set(e.partNumber, e.token);
  }

  /**
   * Turns an upload into a file (call with the upload's mutex held). O(1) in
   * bytes: the parts directory is renamed into the files area, never copied.
   */
  async finish(
    upload: Upload,
    outcome: 'completed' | 'corrupt',
    storage: StorageKind = 'local',
  ): Promise<StoredFile> {
    const { meta } = upload;
    const partFiles: string[] = [];
    for (let n = 0; storage === 'local' && n < meta.numParts; n++) {
      const file = upload.parts.get(n)?.file;
      if (!file) throw new Error(`finish: part ${n} of ${meta.uploadId} is not stored`);
      partFiles.push(file);
    }
    const seq = this.nextSeq();
    const file: StoredFile = {
      fileUid: meta.fileUid,
      fileName: meta.filename,
      fileType: meta.fileType,
      numBytes: meta.numBytes,
      status: outcome === 'corrupt' ? 'Corrupt' : 'Registered',
      uploadId: meta.uploadId,
      createdAt: new Date(seq).toISOString(),
      seq,
      partFiles,
      ...(storage === 'local' ? {} : { storage }),
    };
    await this.#track(
      (async () => {
        const fileDir = this.#fileDir(meta.fileUid);
        await mkdir(fileDir, { recursive: true });
        await rename(this.#partsDir(meta.uploadId), join(fileDir, 'parts'));
        await writeFileAtomic(join(fileDir, 'file.json'), `${JSON.stringify(file)}\n`);
        await writeFileAtomic(join(this.#uploadDir(meta.uploadId), 'status'), `${outcome}\n`);
      })(),
    );
    upload.status = outcome;
    upload.issued.clear();
    this.#files.set(file.fileUid, file);
    return file;
  }

  /** Aborts an upload (call with the upload's mutex held): drops its bytes and checkpoints. */
  async abort(upload: Upload): Promise<void> {
    const dir = this.#uploadDir(upload.meta.uploadId);
    await this.#track(
      (async () => {
        await writeFileAtomic(join(dir, 'status'), 'aborted\n');
        await rm(join(dir, 'parts'), { recursive: true, force: true });
        await rm(join(dir, 'checkpoints.jsonl'), { force: true });
      })(),
    );
    upload.status = 'aborted';
    upload.parts.clear();
    upload.checkpoints.clear();
    upload.issued.clear();
  }

  /** All files, oldest first. */
  listFiles(): StoredFile[] {
    return [...this.#files.values()].sort((a, b) => a.seq - b.seq);
  }

  /** The newest file with this name. */
  findFile(fileName: string): StoredFile | undefined {
    let best: StoredFile | undefined;
    for (const f of this.#files.values()) {
      if (f.fileName === fileName && (!best || f.seq > best.seq)) best = f;
    }
    return best;
  }

  /** Absolute paths of a file's parts, in order. */
  filePartPaths(file: StoredFile): string[] {
    const dir = join(this.#fileDir(file.fileUid), 'parts');
    return file.partFiles.map((name) => join(dir, name));
  }

  /** Absolute path of a stored part of an in-progress upload, if its bytes are kept here. */
  partPath(upload: Upload, part: StoredPart): string | undefined {
    return part.file === undefined
      ? undefined
      : join(this.#partsDir(upload.meta.uploadId), part.file);
  }

  /** Every upload this store knows, in no particular order. */
  allUploads(): Upload[] {
    return [...this.#uploads.values()];
  }

  /** Read-only view for assertions. */
  snapshot(uploadId: string): UploadSnapshot | undefined {
    const upload = this.#uploads.get(uploadId);
    if (!upload) return undefined;
    const { meta } = upload;
    const finished = upload.status === 'completed' || upload.status === 'corrupt';
    // After a restart a finished upload's part records live only in file.json.
    const uploaded =
      finished && upload.parts.size === 0
        ? Array.from({ length: meta.numParts }, (_, i) => i)
        : [...upload.parts.keys()].sort((a, b) => a - b);
    return {
      uploadId: meta.uploadId,
      fileUid: meta.fileUid,
      filename: meta.filename,
      fileType: meta.fileType,
      numBytes: meta.numBytes,
      partSize: meta.partSize,
      numParts: meta.numParts,
      status: upload.status,
      uploadedParts: uploaded,
      checkpointedParts: [...upload.checkpoints.keys()].sort((a, b) => a - b),
    };
  }

  /** Forgets every upload and file and deletes their data; the signing secret stays. */
  async reset(): Promise<void> {
    await this.flush();
    for (const u of this.#uploads.values()) u.status = 'aborted';
    this.#uploads.clear();
    this.#files.clear();
    await rm(this.#uploadsDir, { recursive: true, force: true });
    await rm(this.#filesDir, { recursive: true, force: true });
    await rm(this.#tmpDir, { recursive: true, force: true });
    await this.#ensureDirs();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}
