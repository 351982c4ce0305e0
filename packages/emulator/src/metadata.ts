import type { StoredFile } from './store.js';

/**
 * `file_status` of `GET /files/metadata/{file_id}`. The reference uses this long
 * form here, and the short `Registered` / `Corrupt` only in the complete response.
 */
export type MetadataFileStatus = 'FILE_STATUS_REGISTERED' | 'FILE_STATUS_CORRUPT';

/** What complete answers in `file_attributes` and metadata repeats: nothing is extracted here. */
export const FILE_ATTRIBUTES = Object.freeze({ metadata_status: 'not_extracted' });

/**
 * The documented long form of one file's metadata:
 * `{file_id, file_uid, is_valid, file_type, num_bytes, file_status, file_attributes,
 * ingested, file_index, file_tags}`. `file_id` is the file's name. The reference names
 * `file_index` and `file_tags` without their shape: here they are the file's 0-based
 * registration order and an empty tag list (the emulator ingests and tags nothing).
 */
export function fileMetadataJson(file: StoredFile, index: number): Record<string, unknown> {
  const corrupt = file.status === 'Corrupt';
  const status: MetadataFileStatus = corrupt ? 'FILE_STATUS_CORRUPT' : 'FILE_STATUS_REGISTERED';
  return {
    file_id: file.fileName,
    file_uid: file.fileUid,
    is_valid: !corrupt,
    file_type: file.fileType,
    num_bytes: file.numBytes,
    file_status: status,
    file_attributes: { ...FILE_ATTRIBUTES },
    ingested: false,
    file_index: index,
    file_tags: [],
  };
}
