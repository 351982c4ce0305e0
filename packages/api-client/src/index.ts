export {
  type AccessTokenHint,
  createFilesApiClient,
  type FilesApiClient,
  type FilesApiClientOptions,
  type HeadersInit,
  type RequestOptions,
} from './client.js';
export {
  errorFromResponse,
  FilesApiError,
  type FilesApiErrorCode,
  type FilesApiErrorDetail,
  type FilesApiErrorInit,
  type FilesApiRoute,
  isFilesApiError,
  isIntegrityMismatchCode,
  parseRetryAfter,
} from './errors.js';
export {
  DOCUMENTED_FILE_TYPES,
  describeFileTypes,
  type FileTypeRule,
  type FileTypeVerdict,
  fileAcceptAttribute,
  resolveFileType,
} from './file-types.js';
export {
  createPartUploader,
  type PartUploader,
  type PartUploaderOptions,
  type PutPartInput,
  type PutPartResult,
} from './part-upload.js';
export {
  type CheckpointResponse,
  type CompleteUploadRequest,
  type CompleteUploadResponse,
  FILE_STATUSES,
  type FileMetadata,
  type FileStatus,
  type InitiateUploadRequest,
  type InitiateUploadResponse,
  type IntegrityAlgorithm,
  isCorruptFileStatus,
  METADATA_FILE_STATUSES,
  type MetadataFileStatus,
  type PartToken,
  type PresignedPart,
  type RefreshPartUrlsResponse,
} from './wire.js';
