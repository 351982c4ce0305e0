import type { UploadErrorCode } from '@atai-upload/engine';

/** A short heading per error code; the engine's `advice` says what to do about it. */
export const ERROR_TITLES: Readonly<Record<UploadErrorCode, string>> = {
  no_file: 'No file chosen',
  empty_file: 'The file is empty',
  file_too_large: 'File too large',
  unsupported_file_type: 'File type not accepted',
  already_running: 'Upload already running',
  file_mismatch: 'Not the same file',
  in_other_tab: 'Uploading in another tab',
  file_unreadable: 'The file can’t be read',
  checksum_unavailable: 'Checksum could not be computed',
  upload_conflict: 'Conflicting upload',
  integrity_mismatch: 'Checksum mismatch',
  url_expired: 'Upload links expired',
  network: 'Network error',
  server: 'Server error',
  unauthorized: 'Not authorised',
  rejected: 'Request rejected',
  missing_etag: 'Storage hides the ETag header',
  invalid_response: 'Unexpected server response',
};
