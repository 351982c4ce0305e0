export { Checkpointer, type CheckpointerDeps } from './checkpointer.js';
export { createUploadController, type UploadController } from './controller.js';
export * from './errors.js';
export { ConcurrencyLimiter } from './limiter.js';
export * from './machine.js';
export { MUTATION_KEY_ROOT, MutationRunner, type UploadMutationKind } from './mutations.js';
export { MAX_FILE_BYTES, type StartOptions, type UploadOptions } from './options.js';
export {
  createDefaultPartHasher,
  createInlinePartHasher,
  createWorkerPartHasher,
  HASH_CHUNK_BYTES,
  type PartHasher,
} from './part-hasher.js';
export { emptyProgress, initialSnapshot } from './progress.js';
export {
  createUploadQueue,
  type UploadQueue,
  type UploadQueueOptions,
  type UploadQueueState,
} from './queue.js';
export {
  createMemoryStorage,
  createResumeStore,
  fileKey,
  type ResumeRecord,
  type ResumeStore,
  type ResumeStoreOptions,
} from './resume-store.js';
export { backoffDelay, DEFAULT_RETRY, type RetryPolicy } from './timing.js';
export type * from './types.js';
