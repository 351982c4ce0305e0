/**
 * `@atai-upload/react`: React hooks over `@atai-upload/engine` for very large
 * direct-to-cloud multipart uploads. Everything a hook user needs is exported from
 * here, including the engine's and the API client's public types.
 */

export {
  type AccessTokenHint,
  createFilesApiClient,
  createPartUploader,
  DOCUMENTED_FILE_TYPES,
  describeFileTypes,
  type FilesApiClient,
  type FilesApiClientOptions,
  FilesApiError,
  type FilesApiErrorCode,
  type FilesApiErrorDetail,
  type FileTypeRule,
  fileAcceptAttribute,
  isFilesApiError,
  type PartUploader,
  type PartUploaderOptions,
  resolveFileType,
} from '@atai-upload/api-client';
export {
  type ChecksumStatus,
  createInlinePartHasher,
  createMemoryStorage,
  createResumeStore,
  type FileIdentity,
  hasTag,
  type IntegrityMode,
  type InterruptedUpload,
  isActive,
  isFinal,
  isUploadError,
  type ListInterruptedOptions,
  listInterrupted,
  MAX_FILE_BYTES,
  PART_STATE_NAMES,
  type PartHasher,
  PartState,
  type PartStateCode,
  type PartStateName,
  type PauseReason,
  type RecoveryInfo,
  type RemoteUploadView,
  type ResumeRecord,
  type ResumeStore,
  type RetryPolicy,
  type StartOptions,
  type StatusTag,
  UPLOAD_ERROR_ADVICE,
  UPLOAD_STATUSES,
  type UploadActions,
  type UploadController,
  UploadError,
  type UploadErrorCode,
  type UploadOptions,
  type UploadProgress,
  type UploadQueue,
  type UploadQueueOptions,
  type UploadSnapshot,
  type UploadStatus,
} from '@atai-upload/engine';
export type { UploadCallbacks } from './callbacks.js';
export {
  computeQueueTotals,
  EMPTY_QUEUE_TOTALS,
  type UploadQueueTotals,
} from './queue-totals.js';
export { useShallow } from './shallow.js';
export {
  type UseInterruptedUploadsResult,
  useInterruptedUploads,
} from './use-interrupted-uploads.js';
export {
  type UseMultipartUploadOptions,
  type UseMultipartUploadResult,
  useMultipartUpload,
} from './use-multipart-upload.js';
export {
  type AddFilesOptions,
  type AddFilesResult,
  type RejectedFile,
  type UseUploadQueueOptions,
  type UseUploadQueueResult,
  useUploadQueue,
  useUploadQueueTotals,
} from './use-upload-queue.js';
export { useUploadSelector } from './use-upload-selector.js';
