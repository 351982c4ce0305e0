import { createPartUploader } from '@atai-upload/api-client';
import { QueryClient } from '@tanstack/query-core';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { LongUploadComforts } from './comforts.js';
import { isOffline, watchConnectivity } from './connectivity.js';
import { emptyContext, reduce, type UploadContext, type UploadEvent } from './context.js';
import type { UploadController } from './controller-types.js';
import { EFFECTS, type EffectDeps, ENTRY, forgetConflicting } from './effects/index.js';
import { toUploadError, UploadError } from './errors.js';
import { fileIdentity } from './file-identity.js';
import { createLimiter } from './limiter.js';
import {
  type EffectName,
  type GuardContext,
  hasTag,
  isFinal,
  MACHINE,
  transition,
  type UploadStatus,
} from './machine.js';
import { createMutationRunner } from './mutations.js';
import { resolveSettings, type StartOptions, type UploadOptions } from './options.js';
import { createDefaultPartHasher } from './part-hasher.js';
import { initialSnapshot } from './progress.js';
import { Publisher, whenStatus } from './publisher.js';
import { defaultResumeStore, fileKey, type ResumeRecord } from './resume-store.js';
import { withRetry } from './retry.js';
import { commandOwner, defaultLocks, type TabCommand, TabCoordinator } from './tabs.js';
import type { RemoteUploadView, UploadSnapshot } from './types.js';

const EMPTY_PARTS = new Uint8Array(0);
/**
 * The reason every ended run is aborted with. Made once, here: an error made in `endRun`
 * would keep its stack's receivers (this controller, its part table) reachable from the
 * run's signal, which settled mutations hold for their gcTime (measured: +7.5 MiB per
 * finished 32,000-part upload in `bench engine`).
 */
const RUN_ENDED = new DOMException('Upload stopped', 'AbortError');
let counter = 0;

export type { UploadController };

/** What the guards of the table read from the context. */
function guards(ctx: UploadContext): GuardContext {
  return {
    prepared: ctx.prepared,
    hasFile: ctx.file !== undefined,
    hasHandle: ctx.handle !== undefined,
  };
}

/** What other tabs are shown of this upload. */
function remoteView(s: UploadSnapshot): RemoteUploadView {
  return {
    status: s.status,
    pauseReason: s.pauseReason,
    progress: s.progress,
    checksum: s.checksum,
    error: s.error ? { code: s.error.code, message: s.error.message } : undefined,
    result: s.result,
  };
}

/** Creates an upload controller. See {@link UploadOptions} for every option and its default. */
export function createUploadController(options: UploadOptions): UploadController {
  return new Controller(options);
}

/**
 * The interpreter of the machine in `machine.ts`: `dispatch` finds the target in the table,
 * `reduce` computes the next context and snapshot patch, the target's entry action runs,
 * the snapshot is published, and the target's effect is invoked; the event it returns is
 * dispatched in turn. Leaving the `running` statuses ends the run, aborting its requests.
 */
class Controller implements UploadController {
  readonly id = `upload-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
  readonly store: StoreApi<UploadSnapshot>;
  readonly #options: UploadOptions;
  readonly #deps: EffectDeps;
  #ctx: UploadContext = emptyContext();
  #run: AbortController | undefined;
  #detach: (() => void) | undefined;
  readonly #comforts: LongUploadComforts;

  constructor(options: UploadOptions) {
    this.#options = options;
    const settings = resolveSettings(options);
    const store = createStore<UploadSnapshot>()(() => initialSnapshot(this.id));
    this.store = store;
    const publisher = new Publisher(
      store,
      settings.progressIntervalMs,
      () => ({
        progress: this.#ctx.progress,
        table: this.#ctx.table,
        refreshingUrls: this.#ctx.services?.urls.busy ?? false,
      }),
      options.onProgress,
    );
    const mutate = createMutationRunner(options.queryClient ?? new QueryClient(), this.id);
    this.#comforts = new LongUploadComforts(options);
    const tabs = new TabCoordinator(
      {
        view: () => remoteView(store.getState()),
        subscribe: (listener) => store.subscribe(listener),
        command: (action) => this.#carryOut(action),
      },
      options.locks === null ? null : (options.locks ?? defaultLocks()),
    );
    this.#deps = {
      settings,
      options,
      api: options.api,
      parts: options.partUploader ?? createPartUploader(),
      limiter: options.limiter ?? createLimiter(options.concurrency),
      records:
        options.persist === false ? undefined : (options.resumeStore ?? defaultResumeStore()),
      tabs,
      hasher: options.partHasher ?? createDefaultPartHasher(),
      publisher,
      mutate,
      call: (kind, fn, signal, policy = settings.retry) =>
        withRetry(() => mutate(kind, fn, undefined), policy, signal),
      warn: (message, cause) => options.onWarning?.(message, cause),
      raise: (event, signal) => {
        if (!signal.aborted) this.#dispatch(event);
      },
      context: () => this.#ctx,
      snapshot: () => store.getState(),
    };
  }

  get partStates(): Uint8Array {
    return this.#ctx.table?.states ?? EMPTY_PARTS;
  }

  getSnapshot(): UploadSnapshot {
    return this.store.getState();
  }

  // ---------------------------------------------------------------- actions

  async start(file: File | null | undefined, options: StartOptions = {}): Promise<void> {
    const status = this.store.getState().status;
    if (transition(status, 'START') === undefined) {
      throw new UploadError(
        'already_running',
        'An upload is already running; pause or cancel it first.',
        { resumable: false },
      );
    }
    const identity = fileIdentity(file, options, this.#deps.settings.fileTypes);
    if (status === 'interrupted' && fileKey(identity) !== this.#ctx.key) {
      // Keep the interrupted upload and its record: the user picked the wrong file.
      const want = this.#ctx.identity!;
      throw new UploadError(
        'file_mismatch',
        `"${identity.name}" (${identity.size} bytes, modified ${new Date(identity.lastModified).toISOString()}) is not the interrupted "${want.name}" (${want.size} bytes, modified ${new Date(want.lastModified).toISOString()}).`,
        { resumable: false },
      );
    }
    this.#dispatch({
      type: 'START',
      file: file!,
      identity,
      at: Date.now(),
      handle: options.handle,
    });
  }

  async recover(record: ResumeRecord): Promise<boolean> {
    if (!this.#dispatch({ type: 'RECOVER', record })) return false;
    if (await this.#deps.tabs.isHeld(record.key)) this.#dispatch({ type: 'HELD_ELSEWHERE' });
    return true;
  }

  pause(reason: 'user' | 'offline' = 'user'): boolean {
    if (this.#forward('pause')) return true;
    return this.#dispatch({ type: 'PAUSE', reason });
  }

  resume(): boolean {
    if (this.#forward('resume')) return true;
    return this.#dispatch({ type: 'RESUME' });
  }

  retry(): boolean {
    // After a corrupt file the server closed that upload: a new one starts from scratch.
    const fresh = this.store.getState().error?.code === 'integrity_mismatch';
    return this.#dispatch({ type: fresh ? 'RETRY_FRESH' : 'RETRY' });
  }

  startOver(): boolean {
    const s = this.store.getState();
    if (s.status !== 'failed' || s.error?.code !== 'upload_conflict' || !this.#ctx.identity)
      return false;
    forgetConflicting(this.#ctx, this.#deps);
    return this.#dispatch({ type: 'START_OVER' });
  }

  async cancel(): Promise<boolean> {
    if (this.#forward('cancel')) return true;
    if (!this.#dispatch({ type: 'CANCEL' })) return false;
    await this.#until((s) => !hasTag(s, 'active'));
    return true;
  }

  reset(): boolean {
    return this.#dispatch({ type: 'RESET' });
  }

  settled(): Promise<UploadSnapshot> {
    return this.#until(isFinal);
  }

  dispose(): void {
    if (hasTag(this.store.getState().status, 'settling')) {
      // Nearly done on the server: let it finish, then release (never strand it mid-complete).
      void this.settled().then(() => this.dispose());
      return;
    }
    // Like a closed tab, nothing more is sent: no checkpoint flush; the resume record holds
    // the tokens.
    this.#ctx.services?.checkpointer.stop();
    this.#dispatch({ type: 'PAUSE', reason: 'user' });
    this.#endRun();
    this.#deps.tabs.release();
    this.#comforts.running = false;
    this.#deps.publisher.cancel();
    this.#unwatch();
    this.#deps.hasher.dispose();
  }

  /** In `elsewhere`, the tab that owns the file carries out pause, resume and cancel. */
  #forward(action: TabCommand): boolean {
    if (this.store.getState().status !== 'elsewhere') return false;
    commandOwner(this.#ctx.key, action);
    return true;
  }

  /** A command from a tab that follows this upload. */
  #carryOut(action: TabCommand): void {
    if (action === 'pause') this.pause();
    else if (action === 'resume') this.resume();
    else void this.cancel();
  }

  // ---------------------------------------------------------------- the interpreter

  #dispatch(event: UploadEvent): boolean {
    const to = transition(this.store.getState().status, event.type, guards(this.#ctx));
    if (to === undefined) return false;
    const { ctx, patch } = reduce(this.#ctx, event, this.id);
    this.#ctx = ctx;
    const node = MACHINE[to];
    if (!node.tags.includes('running')) this.#endRun();
    // Connectivity is watched only while something is under way or paused, so a settled (or
    // never started, as in React StrictMode's double render) controller is held by no global.
    if (node.tags.includes('resting')) this.#unwatch();
    else this.#detach ??= this.#watchConnectivity();
    if (node.entry) ENTRY[node.entry](ctx, this.#deps, event);
    this.#comforts.running = node.tags.includes('running');
    this.#deps.publisher.publish({ ...patch, status: to });
    const snap = this.store.getState();
    this.#options.onStatusChange?.(snap);
    if (to === 'completed') this.#options.onSuccess?.(snap);
    if (to === 'failed' && snap.error) this.#options.onError?.(snap.error, snap);
    if (node.invoke && this.store.getState().status === to) this.#invoke(to, node.invoke);
    return true;
  }

  /** Runs the effect of `status`; its event (or its failure) is dispatched while still current. */
  #invoke(status: UploadStatus, name: EffectName): void {
    this.#run ??= new AbortController();
    const run = this.#run;
    const current = () =>
      this.#run === run && !run.signal.aborted && this.store.getState().status === status;
    const done = (next: UploadEvent) => {
      if (current()) this.#dispatch(next);
    };
    const failed = (error: unknown) => {
      if (!current()) return;
      // Errors while the browser is offline are the network's fault: wait for it instead.
      if (isOffline() && this.#dispatch({ type: 'PAUSE', reason: 'offline' })) return;
      const failure = toUploadError(error);
      // Credentials refused even after the client asked for fresh ones: the app must sign in
      // again. Keep everything and wait for resume(), rather than end the upload.
      if (
        failure.code === 'unauthorized' &&
        this.#dispatch({ type: 'AUTH_REQUIRED', error: failure })
      ) {
        this.#options.onAuthRequired?.(failure, this.store.getState());
        return;
      }
      this.#dispatch({ type: 'FAIL', error: failure, at: Date.now() });
    };
    try {
      const next = EFFECTS[name](this.#ctx, this.#deps, run.signal);
      if (next instanceof Promise) next.then(done, failed);
      else done(next);
    } catch (error) {
      failed(error);
    }
  }

  #endRun(): void {
    this.#run?.abort(RUN_ENDED);
    this.#run = undefined;
  }

  #unwatch(): void {
    this.#detach?.();
    this.#detach = undefined;
  }

  #watchConnectivity(): () => void {
    if (this.#options.pauseWhenOffline === false) return () => {};
    return watchConnectivity((online) => {
      const s = this.store.getState();
      // Straight to the table: a pause for the network is never forwarded to another tab.
      if (!online) this.#dispatch({ type: 'PAUSE', reason: 'offline' });
      else if (s.status === 'paused' && s.pauseReason === 'offline') this.resume();
    });
  }

  #until(done: (status: UploadStatus) => boolean): Promise<UploadSnapshot> {
    return whenStatus(this.store, done);
  }
}
