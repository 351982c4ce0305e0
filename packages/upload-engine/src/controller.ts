import {
  createPartUploader,
  type FilesApiClient,
  FilesApiError,
  isFilesApiError,
  type PartToken,
  type PartUploader,
} from '@atai-upload/api-client';
import { crc32cCombineAll, crc32cToBase64 } from '@atai-upload/crc32c';
import { QueryClient } from '@tanstack/query-core';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { Checkpointer } from './checkpointer.js';
import type { UploadController } from './controller-types.js';
import { toUploadError, UploadError } from './errors.js';
import { applyInitiateAnswer, checkInitiateAnswer } from './initiate-answer.js';
import { ConcurrencyLimiter } from './limiter.js';
import {
  isActive,
  PartState,
  transition,
  type UploadEventType,
  type UploadStatus,
} from './machine.js';
import { MutationRunner, type UploadMutationKind } from './mutations.js';
import { MAX_FILE_BYTES, type StartOptions, type UploadOptions } from './options.js';
import { createDefaultPartHasher, type PartHasher } from './part-hasher.js';
import { hashMissingParts } from './part-hashing.js';
import { PartTable } from './part-table.js';
import { emptyProgress, initialSnapshot, ProgressTracker } from './progress.js';
import { createResumeStore, fileKey, type ResumeRecord, type ResumeStore } from './resume-store.js';
import { backoffDelay, DEFAULT_RETRY, type RetryPolicy, sleep } from './timing.js';
import type { FileIdentity, UploadSnapshot } from './types.js';
import { UrlRefresher } from './url-refresher.js';

interface Session {
  readonly ctrl: AbortController;
}

interface Settings {
  retry: RetryPolicy;
  checkpointBatchSize: number;
  checkpointIntervalMs: number;
  urlRefreshMarginMs: number;
  resume: 'auto' | 'always' | 'never';
  integrity: boolean;
  fallbackFileType: string;
  progressIntervalMs: number;
}

const EMPTY_PARTS = new Uint8Array(0);
/** Cancel should not hang for minutes: a few quick tries, then give up with a warning. */
const ABORT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 300, maxDelayMs: 2_000 };
const FINAL: ReadonlySet<UploadStatus> = new Set(['completed', 'failed', 'aborted']);
let counter = 0;

function isOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}

export type { UploadController };

/** Creates an upload controller. See {@link UploadOptions} for every option and its default. */
export function createUploadController(options: UploadOptions): UploadController {
  return new Controller(options);
}

class Controller implements UploadController {
  readonly id = `upload-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
  readonly store: StoreApi<UploadSnapshot>;
  readonly #opts: UploadOptions;
  readonly #cfg: Settings;
  readonly #api: FilesApiClient;
  readonly #parts: PartUploader;
  readonly #mutations: MutationRunner;
  readonly #limiter: ConcurrencyLimiter;
  readonly #resumeStore: ResumeStore | undefined;
  readonly #hasher: PartHasher;
  #detach: (() => void) | undefined;

  #session: Session | undefined;
  #file: File | undefined;
  #identity: FileIdentity | undefined;
  #key = '';
  #prepared = false;
  #resumeFlag = false;
  #forceFresh = false;
  #table: PartTable | undefined;
  #progress = new ProgressTracker(0, 0);
  #checkpointer: Checkpointer | undefined;
  #hashing: Promise<void> | undefined;
  #urls: UrlRefresher | undefined;
  #retrying = 0;
  #partsVersion = 0;
  #flushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: UploadOptions) {
    this.#opts = options;
    this.#cfg = {
      retry: { ...DEFAULT_RETRY, ...options.retry },
      checkpointBatchSize: Math.max(1, options.checkpointBatchSize ?? 8),
      checkpointIntervalMs: options.checkpointIntervalMs ?? 5_000,
      urlRefreshMarginMs: options.urlRefreshMarginMs ?? 60_000,
      resume: options.resume ?? 'auto',
      integrity: options.integrity ?? true,
      fallbackFileType: options.fallbackFileType ?? 'application/octet-stream',
      progressIntervalMs: options.progressIntervalMs ?? 100,
    };
    this.#api = options.api;
    this.#parts = options.partUploader ?? createPartUploader();
    this.#mutations = new MutationRunner(options.queryClient ?? new QueryClient(), this.id);
    this.#limiter = options.limiter ?? new ConcurrencyLimiter(options.concurrency ?? 4);
    this.#resumeStore =
      options.persist === false ? undefined : (options.resumeStore ?? createResumeStore());
    this.#hasher = options.partHasher ?? createDefaultPartHasher();
    this.store = createStore<UploadSnapshot>()(() => initialSnapshot(this.id));
  }

  get partStates(): Uint8Array {
    return this.#table?.states ?? EMPTY_PARTS;
  }

  getSnapshot(): UploadSnapshot {
    return this.store.getState();
  }

  // ---------------------------------------------------------------- actions

  async start(file: File | null | undefined, options: StartOptions = {}): Promise<void> {
    const status = this.store.getState().status;
    if (isActive(status) || status === 'paused') {
      throw new UploadError(
        'already_running',
        'An upload is already running; pause or cancel it first.',
        {
          resumable: false,
        },
      );
    }
    if (!file)
      throw new UploadError('no_file', 'No file was given to upload.', { resumable: false });
    if (file.size === 0) {
      throw new UploadError('empty_file', `"${file.name}" is empty (0 bytes).`, {
        resumable: false,
      });
    }
    if (file.size > MAX_FILE_BYTES) {
      throw new UploadError(
        'file_too_large',
        `"${file.name}" is ${file.size} bytes; the limit is ${MAX_FILE_BYTES} bytes (250 GB).`,
        { resumable: false },
      );
    }
    this.#abortSession();
    // Listeners are attached on first start, not in the constructor, so a controller that is
    // created and thrown away (React StrictMode double render) leaves nothing behind.
    this.#detach ??= this.#watchConnectivity();
    this.#file = file;
    this.#identity = {
      name: options.name ?? file.name,
      size: file.size,
      type: options.type ?? (file.type || this.#cfg.fallbackFileType),
      lastModified: file.lastModified,
    };
    this.#key = fileKey(this.#identity);
    this.#prepared = false;
    this.#forceFresh = false;
    this.#table = undefined;
    this.#progress = new ProgressTracker(file.size, 0);
    this.store.setState({
      ...initialSnapshot(this.id),
      file: this.#identity,
      progress: emptyProgress(file.size, 0),
      startedAt: Date.now(),
    });
    this.#send('START');
    void this.#run();
  }

  pause(reason: 'user' | 'offline' = 'user'): boolean {
    if (!this.#can('PAUSE')) return false;
    this.#abortSession();
    this.#quiesce();
    this.#send('PAUSE', { pauseReason: reason });
    return true;
  }

  resume(): boolean {
    if (!this.#send('RESUME', { pauseReason: undefined, error: undefined })) return false;
    void this.#run();
    return true;
  }

  retry(): boolean {
    const error = this.store.getState().error;
    if (!this.#can('RETRY')) return false;
    if (error?.code === 'integrity_mismatch') {
      // The server closed that upload as Corrupt: start a new one from scratch.
      this.#table = undefined;
      this.#resumeFlag = false;
    }
    this.#send('RETRY', { error: undefined });
    void this.#run();
    return true;
  }

  startOver(): boolean {
    const s = this.store.getState();
    if (s.status !== 'failed' || s.error?.code !== 'upload_conflict' || !this.#identity)
      return false;
    const stale = this.#resumeStore?.findByName(this.#identity.name);
    if (stale && stale.key !== this.#key) {
      this.#resumeStore?.remove(stale.key);
      // Best effort: release the other file's unfinished upload on the server.
      this.#api
        .abortUpload(stale.uploadId)
        .catch((e: unknown) => this.#warn('Could not abort the replaced upload', e));
    }
    this.#forceFresh = true;
    this.#prepared = false;
    this.#table = undefined;
    this.#send('RETRY', { error: undefined });
    void this.#run();
    return true;
  }

  async cancel(): Promise<boolean> {
    if (!this.#can('CANCEL')) return false;
    this.#abortSession();
    this.#checkpointer?.stop();
    this.#progress.clearInFlight();
    const uploadId = this.store.getState().uploadId;
    this.#send('CANCEL');
    if (uploadId) {
      try {
        await this.#call('abort', () => this.#api.abortUpload(uploadId), undefined, ABORT_RETRY);
      } catch (e) {
        const err = isFilesApiError(e) ? e : undefined;
        this.#warn(
          err?.code === 'upload_completed'
            ? 'The upload had already completed on the server; it could not be aborted'
            : 'The server abort failed; the unfinished upload will expire on the server',
          e,
        );
      }
    }
    this.#resumeStore?.remove(this.#key);
    this.#send('ABORTED', { finishedAt: Date.now() });
    return true;
  }

  reset(): boolean {
    if (!this.#can('RESET')) return false;
    this.#abortSession();
    this.#table = undefined;
    this.#file = undefined;
    this.#identity = undefined;
    this.store.setState({ ...initialSnapshot(this.id) });
    return true;
  }

  settled(): Promise<UploadSnapshot> {
    return new Promise((resolve) => {
      const now = this.store.getState();
      if (FINAL.has(now.status)) {
        resolve(now);
        return;
      }
      const unsub = this.store.subscribe((s) => {
        if (FINAL.has(s.status)) {
          unsub();
          resolve(s);
        }
      });
    });
  }

  dispose(): void {
    const status = this.store.getState().status;
    if (status === 'completing' || status === 'aborting') {
      // Nearly done on the server: let it finish, then release (never strand it mid-complete).
      void this.settled().then(() => this.dispose());
      return;
    }
    this.#abortSession();
    if (this.#can('PAUSE')) {
      // Leave a consistent state behind. Like a closed tab, nothing more is sent: no
      // checkpoint flush; the resume record holds the tokens.
      this.#progress.clearInFlight();
      this.#table?.resetUnconfirmed();
      this.#send('PAUSE', { pauseReason: 'user' });
    }
    this.#checkpointer?.stop();
    clearTimeout(this.#flushTimer);
    this.#detach?.();
    this.#detach = undefined;
    this.#hasher.dispose();
  }

  // ---------------------------------------------------------------- machine plumbing

  #can(event: UploadEventType): boolean {
    return transition(this.store.getState().status, event) !== undefined;
  }

  /** Moves the machine; everything else in the store is published with it. */
  #send(event: UploadEventType, patch: Partial<UploadSnapshot> = {}): boolean {
    const from = this.store.getState().status;
    const to = transition(from, event);
    if (to === undefined) return false;
    this.#publish({ ...patch, status: to });
    const snap = this.store.getState();
    this.#opts.onStatusChange?.(snap);
    if (to === 'completed') this.#opts.onSuccess?.(snap);
    if (to === 'failed' && snap.error) this.#opts.onError?.(snap.error, snap);
    return true;
  }

  #publish(patch: Partial<UploadSnapshot> = {}): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const progress = this.#progress.snapshot(Date.now(), this.#table?.done ?? 0);
    this.store.setState({
      progress,
      partsVersion: this.#partsVersion,
      retryingParts: this.#retrying,
      refreshingUrls: this.#urls?.busy ?? false,
      uncheckpointedParts: this.#table?.counts[PartState.uploaded] ?? 0,
      ...patch,
    });
    this.#opts.onProgress?.(progress);
  }

  /** Something changed: publish within `progressIntervalMs` (throttled). */
  #dirty(partsChanged = false): void {
    if (partsChanged) this.#partsVersion++;
    if (this.#flushTimer !== undefined) return;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      this.#publish();
    }, this.#cfg.progressIntervalMs);
  }

  #setPart(n: number, state: (typeof PartState)[keyof typeof PartState]): void {
    this.#table?.set(n, state);
    this.#dirty(true);
  }

  #abortSession(): void {
    this.#session?.ctrl.abort(new DOMException('Upload stopped', 'AbortError'));
    this.#session = undefined;
  }

  /** After a pause: drop in-flight attempts, send the tokens we hold (best effort). */
  #quiesce(): void {
    this.#progress.clearInFlight();
    this.#table?.resetUnconfirmed();
    const cp = this.#checkpointer;
    this.#checkpointer = undefined;
    if (cp) void cp.flush().finally(() => cp.stop());
    this.#dirty(true);
  }

  #fail(error: unknown): void {
    const err = toUploadError(error);
    this.#abortSession();
    this.#quiesce();
    if (!err.resumable) this.#resumeStore?.remove(this.#key);
    this.#send('FAIL', { error: err, finishedAt: Date.now() });
  }

  #warn(message: string, cause?: unknown): void {
    this.#opts.onWarning?.(message, cause);
  }

  #watchConnectivity(): () => void {
    if (this.#opts.pauseWhenOffline === false || typeof window === 'undefined') return () => {};
    const win = window; // keep the instance we subscribed to, for the matching unsubscribe
    const offline = () => {
      this.pause('offline');
    };
    const online = () => {
      const s = this.store.getState();
      if (s.status === 'paused' && s.pauseReason === 'offline') this.resume();
    };
    win.addEventListener('offline', offline);
    win.addEventListener('online', online);
    return () => {
      win.removeEventListener('offline', offline);
      win.removeEventListener('online', online);
    };
  }

  // ---------------------------------------------------------------- the run

  async #run(): Promise<void> {
    this.#abortSession();
    const session: Session = { ctrl: new AbortController() };
    this.#session = session;
    const signal = session.ctrl.signal;
    try {
      if (!this.#prepared) {
        this.#prepare();
        if (this.store.getState().status === 'preparing') {
          if (isOffline()) {
            this.pause('offline');
            return;
          }
          this.#send('PREPARED');
        }
      }
      await this.#initiate(signal);
      if (!this.#send('INITIATED')) return;
      this.#progress.restartClock(Date.now());
      await this.#uploadAll(signal);
      if (!this.#send('ALL_PARTS_UPLOADED')) return;
      await this.#complete(signal);
    } catch (error) {
      if (signal.aborted || this.#session !== session) return; // paused or cancelled meanwhile
      // Errors while the browser is offline are the network's fault: wait for it instead.
      if (isOffline() && this.pause('offline')) return;
      this.#fail(error);
    }
  }

  /** Local checks: which resume record applies, and whether a different file claims this name. */
  #prepare(): void {
    const id = this.#identity!;
    const record = this.#resumeStore?.get(this.#key);
    const byName = this.#resumeStore?.findByName(id.name);
    if (!this.#forceFresh && !record && byName && byName.key !== this.#key) {
      const other = byName.file;
      throw new UploadError(
        'upload_conflict',
        `An unfinished upload of a different file named "${id.name}" (${other.size} bytes, modified ${new Date(other.lastModified).toISOString()}) exists in this browser.`,
      );
    }
    this.#resumeFlag =
      !this.#forceFresh &&
      (this.#cfg.resume === 'always' || (this.#cfg.resume === 'auto' && record !== undefined));
    this.#prepared = true;
  }

  async #initiate(signal: AbortSignal): Promise<void> {
    const id = this.#identity!;
    const knownUploadId = this.store.getState().uploadId;
    const res = await this.#call(
      'initiate',
      () =>
        this.#api.initiateUpload(
          {
            filename: id.name,
            file_type: id.type,
            num_bytes: id.size,
            // After this session initiated once, a re-initiate is a resume by definition.
            ...(this.#resumeFlag || knownUploadId ? { resume_if_started: true } : {}),
          },
          { signal },
        ),
      signal,
    );
    checkInitiateAnswer(res, id.size);
    signal.throwIfAborted();

    const record = this.#resumeStore?.get(this.#key);
    let table = this.#table;
    if (!table || knownUploadId !== res.upload_id || table.partSize !== res.part_size) {
      table = new PartTable(id.size, res.part_size);
      this.#table = table;
    }
    // Tokens this browser holds for parts the server has not checkpointed.
    const stored = record?.uploadId === res.upload_id ? record.tokens : {};
    const now = Date.now();
    const plan = applyInitiateAnswer(table, res, stored, now, this.#cfg.urlRefreshMarginMs);
    const { toCheckpoint, resumedBytes } = plan;
    this.#progress = new ProgressTracker(id.size, table.numParts);
    this.#progress.bytesConfirmed = plan.confirmedBytes;
    this.#progress.restartClock(now);
    this.#partsVersion++;

    const tokens: Record<string, string> = {};
    for (const t of toCheckpoint) tokens[t.part_number] = t.part_token;
    this.#resumeStore?.put({
      key: this.#key,
      file: id,
      uploadId: res.upload_id,
      partSize: res.part_size,
      numParts: res.num_parts,
      tokens,
      updatedAt: now,
    } satisfies ResumeRecord);
    this.#resumeFlag = true;

    const hashing = this.#cfg.integrity && res.integrity_algorithm === 'crc32c';
    this.#publish({
      uploadId: res.upload_id,
      fileUid: res.file_uid,
      partSize: res.part_size,
      numParts: res.num_parts,
      isResume: res.is_resume,
      resumedBytes: res.is_resume ? resumedBytes : 0,
      integrityAlgorithm: res.integrity_algorithm,
      checksum: hashing ? 'computing' : 'disabled',
    });
    this.#checkpointer = this.#makeCheckpointer(res.upload_id, signal);
    this.#urls = new UrlRefresher({
      table,
      marginMs: this.#cfg.urlRefreshMarginMs,
      batchLimit: () => Math.max(8, this.#limiter.limit * 2),
      request: async (numbers, sig) =>
        (
          await this.#call(
            'refreshUrls',
            () => this.#api.refreshPartUrls(res.upload_id, numbers, { signal: sig }),
            sig,
          )
        ).parts,
      onActivity: () => this.#dirty(),
    });
    if (toCheckpoint.length > 0) await this.#checkpointKnown(res.upload_id, toCheckpoint, signal);
    this.#hashing = hashing
      ? hashMissingParts(table, this.#file!, id.name, this.#hasher, signal)
      : undefined;
    // An unreadable file should stop the upload now, not when complete awaits the checksum.
    this.#hashing?.then(
      () => {
        if (!signal.aborted && this.store.getState().checksum === 'computing')
          this.#publish({ checksum: 'ready' });
      },
      (e: unknown) => {
        if (!signal.aborted) this.#fail(e);
      },
    );
  }

  /**
   * On resume, parts this browser uploaded but never checkpointed are checkpointed
   * now instead of being sent again. If the server rejects the tokens (it lost the
   * part), those parts are simply uploaded again.
   */
  async #checkpointKnown(uploadId: string, parts: PartToken[], signal: AbortSignal): Promise<void> {
    const table = this.#table!;
    try {
      await this.#call(
        'checkpoint',
        () => this.#api.checkpointParts(uploadId, parts, { signal }),
        signal,
      );
      for (const p of parts) {
        table.set(p.part_number, PartState.checkpointed);
        table.tokens[p.part_number] = undefined;
      }
      this.#resumeStore?.dropTokens(
        this.#key,
        parts.map((p) => p.part_number),
      );
    } catch (e) {
      signal.throwIfAborted();
      if (isFilesApiError(e) && !e.retryable) {
        this.#warn('Stored part tokens were refused; those parts will be uploaded again', e);
        for (const p of parts) {
          table.set(p.part_number, PartState.pending);
          table.tokens[p.part_number] = undefined;
          this.#progress.bytesConfirmed -= table.length(p.part_number);
        }
        this.#resumeStore?.dropTokens(
          this.#key,
          parts.map((p) => p.part_number),
        );
      } else {
        this.#warn('Checkpoint of stored tokens failed; they will be sent with complete', e);
      }
    }
    this.#dirty(true);
  }

  #makeCheckpointer(uploadId: string, signal: AbortSignal): Checkpointer {
    const table = this.#table!;
    return new Checkpointer({
      batchSize: this.#cfg.checkpointBatchSize,
      intervalMs: this.#cfg.checkpointIntervalMs,
      tokenOf: (n) => (table.state(n) === PartState.uploaded ? table.tokens[n] : undefined),
      send: async (parts) => {
        await this.#call('checkpoint', () => this.#api.checkpointParts(uploadId, parts), signal);
      },
      onAcknowledged: (numbers) => {
        if (this.#table !== table) return;
        for (const n of numbers) {
          if (table.state(n) === PartState.uploaded) {
            table.set(n, PartState.checkpointed);
            table.tokens[n] = undefined;
          }
        }
        this.#resumeStore?.dropTokens(this.#key, numbers);
        this.#dirty(true);
      },
      onFailed: (numbers, error) => {
        if (!signal.aborted) {
          this.#warn(
            `Checkpoint of ${numbers.length} parts failed; their tokens will be sent with complete`,
            error,
          );
        }
      },
    });
  }

  async #uploadAll(signal: AbortSignal): Promise<void> {
    const table = this.#table!;
    // A failing part stops its siblings through this child signal.
    const phase = new AbortController();
    const onAbort = () => phase.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let fatal: unknown;
    const worker = async () => {
      for (;;) {
        const release = await this.#limiter.acquire(phase.signal);
        try {
          const n = table.nextPending();
          if (n < 0) return;
          this.#setPart(n, PartState.uploading);
          await this.#uploadPart(n, phase.signal);
        } finally {
          release();
        }
      }
    };
    // One worker per slot of the limiter; when the limit grows mid-upload, more join.
    const running: Promise<void>[] = [];
    const spawn = () => {
      const wanted = Math.min(this.#limiter.limit, table.numParts - table.done);
      while (running.length < wanted) {
        running.push(
          worker().catch((e: unknown) => {
            if (fatal === undefined && !phase.signal.aborted) {
              fatal = e;
              phase.abort(e);
            }
          }),
        );
      }
    };
    spawn();
    const unwatch = this.#limiter.onLimitChange(spawn);
    try {
      // Workers may be added while we wait: settle until the list stops growing.
      for (let seen = 0; seen < running.length; ) {
        seen = running.length;
        await Promise.all(running);
      }
    } finally {
      unwatch();
      signal.removeEventListener('abort', onAbort);
    }
    signal.throwIfAborted();
    if (fatal !== undefined) throw fatal;
    if (table.done !== table.numParts) {
      throw new UploadError(
        'network',
        `Only ${table.done} of ${table.numParts} parts were uploaded.`,
      );
    }
  }

  async #uploadPart(n: number, signal: AbortSignal): Promise<void> {
    const table = this.#table!;
    const file = this.#file!;
    const offset = table.offset(n);
    const length = table.length(n);
    let attempt = 0;
    let refreshedAfter403 = false;
    for (;;) {
      signal.throwIfAborted();
      const url = await this.#urls!.urlFor(n, signal);
      try {
        const { etag } = await this.#mutations.run(
          'putPart',
          (body: Blob) =>
            this.#parts.putPart({
              url,
              body,
              signal,
              onProgress: (loaded) => {
                this.#progress.inFlight(n, loaded, length);
                this.#dirty();
              },
            }),
          file.slice(offset, offset + length),
        );
        this.#progress.confirm(n, length);
        table.tokens[n] = etag;
        this.#setPart(n, PartState.uploaded);
        this.#resumeStore?.setToken(this.#key, n, etag);
        this.#checkpointer?.add(n);
        this.#opts.onPartComplete?.({ partNumber: n, etag, length });
        return;
      } catch (e) {
        this.#progress.rollback(n);
        this.#dirty();
        signal.throwIfAborted();
        const err = isFilesApiError(e) ? e : toUploadError(e);
        if (err instanceof FilesApiError && err.code === 'url_expired' && !refreshedAfter403) {
          // One free refresh-and-retry: the URL expired between our check and the PUT.
          refreshedAfter403 = true;
          this.#urls!.invalidate(n);
          continue;
        }
        if (err instanceof FilesApiError && (err.code === 'network' || err.code === 'timeout')) {
          await this.#assertReadable(offset, length);
          if (isOffline()) throw err; // #run turns this into an offline pause
        }
        if (
          err instanceof FilesApiError &&
          err.retryable &&
          ++attempt < this.#cfg.retry.maxAttempts
        ) {
          await this.#backoff(attempt, err.retryAfterMs, signal);
          continue;
        }
        this.#setPart(n, PartState.failed);
        throw err;
      }
    }
  }

  /** A network error may really be the file vanishing or changing: read one byte to tell. */
  async #assertReadable(offset: number, length: number): Promise<void> {
    try {
      await this.#file!.slice(offset, offset + Math.min(1, length)).arrayBuffer();
    } catch (e) {
      throw new UploadError(
        'file_unreadable',
        `"${this.#identity?.name}" can no longer be read (${e instanceof Error ? e.name : 'error'}); it was moved, deleted or changed.`,
        { cause: e },
      );
    }
  }

  async #backoff(
    attempt: number,
    retryAfterMs: number | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    this.#retrying++;
    this.#dirty();
    try {
      await sleep(backoffDelay(attempt, this.#cfg.retry, retryAfterMs), signal);
    } finally {
      this.#retrying--;
      this.#dirty();
    }
  }

  async #complete(signal: AbortSignal): Promise<void> {
    const table = this.#table!;
    const uploadId = this.store.getState().uploadId!;
    const cp = this.#checkpointer;
    // Let a checkpoint in flight land, so we know exactly which tokens complete must carry.
    await cp?.idle();
    cp?.stop();
    let integrity_checksum: string | undefined;
    if (this.#hashing) {
      await this.#hashing;
      const segments = Array.from({ length: table.numParts }, (_, n) => ({
        crc: table.crcs[n]!,
        length: table.length(n),
      }));
      integrity_checksum = crc32cToBase64(crc32cCombineAll(segments));
      this.#publish({ checksum: 'ready' });
    }
    const parts: PartToken[] = [];
    for (let n = 0; n < table.numParts; n++) {
      if (table.state(n) === PartState.uploaded)
        parts.push({ part_number: n, part_token: table.tokens[n]! });
    }
    let attempts = 0;
    const result = await this.#call(
      'complete',
      () => {
        attempts++;
        return this.#api.completeUpload(
          uploadId,
          integrity_checksum === undefined ? { parts } : { parts, integrity_checksum },
          { signal },
        );
      },
      signal,
    ).catch(async (e: unknown) => {
      // A retried complete may find that the first attempt succeeded after all.
      if (attempts > 1 && isFilesApiError(e) && e.code === 'conflict') {
        const meta = await this.#api
          .getFileMetadata(this.#identity!.name, { signal })
          .catch(() => undefined);
        if (
          meta &&
          meta.file_uid === this.store.getState().fileUid &&
          meta.file_status !== 'Corrupt'
        ) {
          return {
            file_uid: meta.file_uid ?? '',
            file_name: meta.file_name ?? this.#identity!.name,
            num_bytes: this.#identity!.size,
            file_status: meta.file_status ?? 'Registered',
          };
        }
      }
      if (isFilesApiError(e) && e.code === 'integrity_mismatch') {
        this.#resumeStore?.remove(this.#key);
        this.#table = undefined;
      }
      throw e;
    });
    for (const p of parts) table.set(p.part_number, PartState.checkpointed);
    this.#partsVersion++;
    this.#resumeStore?.remove(this.#key);
    this.#send('COMPLETED', {
      result,
      fileUid: result.file_uid,
      checksum: integrity_checksum === undefined ? this.store.getState().checksum : 'verified',
      finishedAt: Date.now(),
    });
  }

  /** One API step as a mutation, retried with backoff while the error is transient. */
  async #call<T>(
    kind: UploadMutationKind,
    fn: () => Promise<T>,
    signal: AbortSignal | undefined,
    policy: RetryPolicy = this.#cfg.retry,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#mutations.run(kind, fn, undefined);
      } catch (e) {
        signal?.throwIfAborted();
        if (!isFilesApiError(e) || !e.retryable || attempt >= policy.maxAttempts) throw e;
        if ((e.code === 'network' || e.code === 'timeout') && isOffline()) throw e;
        await sleep(backoffDelay(attempt, policy, e.retryAfterMs), signal);
      }
    }
  }
}
