/**
 * `@atai-upload/engine`: the framework-agnostic upload engine. Exactly what the README
 * documents; everything else is internal.
 */
export { createUploadController } from './controller.js';
export type { UploadActions, UploadController } from './controller-types.js';
export {
  isUploadError,
  toUploadError,
  UPLOAD_ERROR_ADVICE,
  UploadError,
  type UploadErrorCode,
} from './errors.js';
export type { ConcurrencyLimiter } from './limiter.js';
export {
  can,
  type EffectName,
  type EntryAction,
  type GuardName,
  hasTag,
  isActive,
  isFinal,
  MACHINE,
  machineDiagram,
  type StateNode,
  type StatusTag,
  type Target,
  transition,
  UPLOAD_EVENTS,
  UPLOAD_STATUSES,
  type UploadEventType,
  type UploadStatus,
} from './machine.js';
export { MUTATION_KEY_ROOT, type UploadMutationKind } from './mutations.js';
export {
  type IntegrityMode,
  MAX_FILE_BYTES,
  type StartOptions,
  type UploadOptions,
} from './options.js';
export {
  createDefaultPartHasher,
  createInlinePartHasher,
  createWorkerPartHasher,
  type PartHasher,
} from './part-hasher.js';
export {
  PART_STATE_NAMES,
  PartState,
  type PartStateCode,
  type PartStateName,
} from './part-state.js';
export { initialSnapshot } from './progress.js';
export {
  createUploadQueue,
  type UploadQueue,
  type UploadQueueOptions,
  type UploadQueueState,
} from './queue.js';
export {
  type InterruptedUpload,
  type ListInterruptedOptions,
  listInterrupted,
} from './recovery.js';
export {
  createIndexedDbStorage,
  createMemoryStorage,
  createResumeStore,
  type RecordStorage,
  type ResumeRecord,
  type ResumeStore,
  type ResumeStoreOptions,
} from './resume-store.js';
export { DEFAULT_RETRY, type RetryPolicy } from './timing.js';
export type {
  ChecksumStatus,
  FileIdentity,
  PauseReason,
  RecoveryInfo,
  RemoteUploadView,
  UploadProgress,
  UploadSnapshot,
} from './types.js';
