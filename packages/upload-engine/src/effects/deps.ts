import type { FilesApiClient, PartUploader } from '@atai-upload/api-client';
import type { UploadContext, UploadEvent } from '../context.js';
import type { ConcurrencyLimiter } from '../limiter.js';
import type { MutationRunner, UploadMutationKind } from '../mutations.js';
import type { Settings, UploadOptions } from '../options.js';
import type { PartHasher } from '../part-hasher.js';
import type { Publisher } from '../publisher.js';
import type { ResumeStore } from '../resume-store.js';
import type { TabCoordinator } from '../tabs.js';
import type { RetryPolicy } from '../timing.js';
import type { UploadSnapshot } from '../types.js';

/** What every effect may use: the upload's collaborators, passed in rather than reached for. */
export interface EffectDeps {
  readonly settings: Settings;
  /** The caller's options, for the callbacks (`onPartComplete`, `onWarning`). */
  readonly options: UploadOptions;
  readonly api: FilesApiClient;
  readonly parts: PartUploader;
  readonly limiter: ConcurrencyLimiter;
  readonly records: ResumeStore | undefined;
  /** This upload's side of the one-tab-per-file protocol (Web Lock, mirrored progress). */
  readonly tabs: TabCoordinator;
  readonly hasher: PartHasher;
  readonly publisher: Publisher;
  /** One attempt as a mutation. */
  readonly mutate: MutationRunner;
  /** One API step: mutations under the engine's retry rule (`withRetry`). */
  call<T>(
    kind: UploadMutationKind,
    fn: () => Promise<T>,
    signal: AbortSignal | undefined,
    policy?: RetryPolicy,
  ): Promise<T>;
  /** A problem that did not stop the upload. */
  warn(message: string, cause?: unknown): void;
  /** An event from a background service of the run `signal` belongs to (dropped once it ended). */
  raise(event: UploadEvent, signal: AbortSignal): void;
  /** The controller's context now (an effect's own `ctx` is the one it started with). */
  context(): UploadContext;
  /** The published snapshot. */
  snapshot(): UploadSnapshot;
}

/** An effect a status invokes: it ends by returning the next event (or throwing, which fails). */
export type Effect = (
  ctx: UploadContext,
  deps: EffectDeps,
  signal: AbortSignal,
) => UploadEvent | Promise<UploadEvent>;

/** A synchronous action run on entering a status, with the event that led there. */
export type EntryActionFn = (ctx: UploadContext, deps: EffectDeps, event: UploadEvent) => void;
