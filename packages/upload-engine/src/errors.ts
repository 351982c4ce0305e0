import {
  type FilesApiError,
  type FilesApiErrorDetail,
  isFilesApiError,
} from '@atai-upload/api-client';
import { isCrc32cUnavailableError } from '@atai-upload/crc32c';

/**
 * What stopped an upload, grouped by what the user can do about it.
 * Input errors (`no_file`, `empty_file`, `file_too_large`, `unsupported_file_type`,
 * `already_running`) are thrown
 * by `start()` before any request. The rest end in the `failed` state.
 */
export type UploadErrorCode =
  | 'no_file'
  | 'empty_file'
  | 'file_too_large'
  | 'already_running'
  | 'unsupported_file_type'
  | 'file_mismatch'
  | 'in_other_tab'
  | 'file_unreadable'
  | 'checksum_unavailable'
  | 'upload_conflict'
  | 'integrity_mismatch'
  | 'url_expired'
  | 'network'
  | 'server'
  | 'unauthorized'
  | 'rejected'
  | 'missing_etag'
  | 'invalid_response';

/** Plain-language advice per code, for UIs. */
export const UPLOAD_ERROR_ADVICE: Record<UploadErrorCode, string> = {
  no_file: 'Choose a file to upload.',
  empty_file: 'The file is empty (0 bytes); choose a file with content.',
  file_too_large: 'Files up to 250 GB can be uploaded; this one is larger.',
  already_running: 'An upload is already running here; wait for it, or cancel it first.',
  unsupported_file_type:
    'The API does not take this type of file. Choose a file of an accepted type (the message lists them).',
  file_mismatch:
    'This is not the file the interrupted upload was made from (its name, size or modification time differ). Pick the original file, or discard the interrupted upload.',
  in_other_tab:
    'Another tab of this site is uploading this file. Continue there, or close that tab and try again here.',
  file_unreadable:
    'The file could not be read: it was moved, deleted or changed on disk. Choose it again to resume.',
  checksum_unavailable:
    "This page could not compute the file's checksum (its security policy or the browser refused the hashing code). Allow 'wasm-unsafe-eval' and workers from this origin, or upload without a checksum.",
  upload_conflict:
    'A different file with the same name is already being uploaded. Rename this file, or start over to replace the unfinished upload.',
  integrity_mismatch:
    'The uploaded data did not match the file (checksum mismatch); the server marked it corrupt. Retry to upload it again.',
  url_expired: 'The upload links expired and could not be renewed. Retry to get new links.',
  network:
    'The network failed repeatedly. Check your connection, then retry: finished parts are kept.',
  server: 'The server kept failing. Retry in a moment: finished parts are kept.',
  unauthorized: 'The API key or sign-in was refused. Check your credentials, then retry.',
  rejected: 'The server refused the request. Check the message, then retry.',
  missing_etag:
    'Storage hid the ETag header from the browser. Its CORS configuration must include "Access-Control-Expose-Headers: ETag".',
  invalid_response: 'The server sent an unexpected answer. Retry; if it persists, contact support.',
};

/** A typed upload failure. `resumable` says whether `retry()` continues where the upload stopped. */
export class UploadError extends Error {
  override readonly name = 'UploadError';
  readonly code: UploadErrorCode;
  /** True when finished parts are kept and `retry()` continues from them. */
  readonly resumable: boolean;
  /** What the user can do, in one sentence. */
  readonly advice: string;
  /** The HTTP status behind the error, when there was one. */
  readonly status: number | undefined;
  /**
   * What the server said, every error of its answer (`{code, message, suggestion, errorUid}`),
   * taken from the `FilesApiError` behind this one; empty when there was no server answer.
   */
  readonly serverErrors: readonly FilesApiErrorDetail[];
  /** The server's hint on how to fix it, when it gave one. */
  readonly suggestion: string | undefined;
  /** The server's error id (`err-…`): what a user quotes to support. */
  readonly errorUid: string | undefined;

  constructor(
    code: UploadErrorCode,
    message: string,
    options: { resumable?: boolean; cause?: unknown; status?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.resumable = options.resumable ?? true;
    this.advice = UPLOAD_ERROR_ADVICE[code];
    this.status = options.status;
    const api = apiErrorIn(options.cause);
    this.serverErrors = api?.errors ?? [];
    this.suggestion = api?.suggestion;
    this.errorUid = api?.errorUid;
  }
}

/** The `FilesApiError` in a cause chain (a few links deep), if any. */
function apiErrorIn(cause: unknown): FilesApiError | undefined {
  for (let c = cause, depth = 0; c !== undefined && depth < 4; depth++) {
    if (isFilesApiError(c)) return c;
    c = c instanceof Error ? c.cause : undefined;
  }
  return undefined;
}

/** Type guard for {@link UploadError}. */
export function isUploadError(error: unknown): error is UploadError {
  return error instanceof UploadError;
}

function codeFor(e: FilesApiError): UploadErrorCode {
  switch (e.code) {
    case 'network':
    case 'timeout':
    case 'aborted':
      return 'network';
    case 'request_timeout':
    case 'rate_limited':
    case 'server_error':
      return 'server';
    case 'unauthorized':
    case 'forbidden':
      return 'unauthorized';
    case 'url_expired':
      return 'url_expired';
    case 'upload_conflict':
      return 'upload_conflict';
    case 'integrity_mismatch':
      return 'integrity_mismatch';
    case 'missing_etag':
      return 'missing_etag';
    case 'invalid_response':
      return 'invalid_response';
    default:
      return 'rejected';
  }
}

/** Wraps any failure as an {@link UploadError}. */
export function toUploadError(error: unknown): UploadError {
  if (error instanceof UploadError) return error;
  if (isFilesApiError(error)) {
    const code = codeFor(error);
    return new UploadError(code, error.message, {
      cause: error,
      status: error.status,
      // A corrupt file is final on the server: retrying starts a new upload.
      resumable: code !== 'integrity_mismatch',
    });
  }
  if (isCrc32cUnavailableError(error)) {
    return new UploadError('checksum_unavailable', error.message, {
      cause: error,
      resumable: false,
    });
  }
  if (error instanceof Error && error.name === 'NotReadableError') {
    return new UploadError('file_unreadable', `The file could not be read: ${error.message}`, {
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new UploadError('network', message, { cause: error });
}
