/**
 * Wire types of the Files API upload routes, exactly as they travel (snake_case),
 * with valibot schemas so a malformed answer fails loudly at the boundary
 * instead of as `undefined` deep inside an upload.
 */
import * as v from 'valibot';

const nonNegativeInt = v.pipe(v.number(), v.integer(), v.minValue(0));
const positiveInt = v.pipe(v.number(), v.integer(), v.minValue(1));
const isoTimestamp = v.pipe(
  v.string(),
  v.check((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO-8601 timestamp'),
);

/** A part's presigned URL and byte range. */
export const PresignedPartSchema = v.looseObject({
  part_number: nonNegativeInt,
  url: v.pipe(v.string(), v.minLength(1)),
  offset: nonNegativeInt,
  length: positiveInt,
  expires_at: isoTimestamp,
});
export type PresignedPart = v.InferOutput<typeof PresignedPartSchema>;

const isNonNegativeInt = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;

/**
 * Accepts only what {@link PresignedPartSchema} accepts (it may refuse more; the schema
 * then has the last word).
 */
function looksLikePresignedPart(x: unknown, knownGoodExpiry: string | undefined): boolean {
  if (typeof x !== 'object' || x === null) return false;
  const p = x as Record<string, unknown>;
  return (
    isNonNegativeInt(p.part_number) &&
    typeof p.url === 'string' &&
    p.url.length > 0 &&
    isNonNegativeInt(p.offset) &&
    isNonNegativeInt(p.length) &&
    p.length > 0 &&
    typeof p.expires_at === 'string' &&
    (p.expires_at === knownGoodExpiry || !Number.isNaN(Date.parse(p.expires_at)))
  );
}

/**
 * A list of presigned parts. A 250 GB initiate answer lists 32,000 of them, and
 * valibot's object pipeline costs about 2 µs a part: a 60 ms task on the main thread.
 * So the list is checked by a plain loop, and only a part that fails it goes through
 * {@link PresignedPartSchema}, for the precise issue and its path (`parts.7.url`).
 */
const PresignedPartListSchema = v.pipe(
  v.array(v.unknown()),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const list = dataset.value;
    // Parts of one answer mostly share one expiry: parse each distinct string once.
    let goodExpiry: string | undefined;
    for (let i = 0; i < list.length; i++) {
      const value = list[i];
      if (looksLikePresignedPart(value, goodExpiry)) {
        goodExpiry = (value as { expires_at: string }).expires_at;
        continue;
      }
      const result = v.safeParse(PresignedPartSchema, value);
      if (result.success) continue;
      const issue = result.issues[0];
      addIssue({
        message: issue.message,
        input: issue.input,
        expected: issue.expected ?? undefined,
        received: issue.received,
        path: [
          { type: 'array', origin: 'value', input: list, key: i, value },
          ...(issue.path ?? []),
        ],
      });
      return;
    }
  }),
  v.transform((list) => list as PresignedPart[]),
);

/** Body of `POST /files/uploads/initiate`. */
export interface InitiateUploadRequest {
  /** Identifies the upload for resume. */
  filename: string;
  /** MIME type; the server rejects unsupported types with 400. */
  file_type: string;
  /** Total file length in bytes (1 … 250 GB). */
  num_bytes: number;
  /** Reuse an in-progress upload of the same name (same type and size) if one exists. */
  resume_if_started?: boolean;
}

/** Whole-file checksum algorithm chosen by the server. */
export type IntegrityAlgorithm = 'crc32c' | 'none';

export const InitiateUploadResponseSchema = v.looseObject({
  upload_id: v.pipe(v.string(), v.minLength(1)),
  file_uid: v.string(),
  file_name: v.string(),
  total_bytes: positiveInt,
  num_parts: positiveInt,
  part_size: positiveInt,
  is_resume: v.boolean(),
  integrity_algorithm: v.picklist(['crc32c', 'none']),
  parts: PresignedPartListSchema,
});
/** Answer of `POST /files/uploads/initiate`. On resume, `parts` holds only the not-yet-checkpointed parts. */
export type InitiateUploadResponse = v.InferOutput<typeof InitiateUploadResponseSchema>;

export const RefreshPartUrlsResponseSchema = v.looseObject({
  parts: PresignedPartListSchema,
});
/** Answer of `POST /files/uploads/{upload_id}/parts/urls`: same length and order as the request. */
export type RefreshPartUrlsResponse = v.InferOutput<typeof RefreshPartUrlsResponseSchema>;

/** A part number with the ETag its PUT returned, quotes included. */
export interface PartToken {
  part_number: number;
  part_token: string;
}

export const CheckpointResponseSchema = v.looseObject({
  num_checkpointed: nonNegativeInt,
});
/** Answer of `POST /files/uploads/{upload_id}/parts/checkpoint`. */
export type CheckpointResponse = v.InferOutput<typeof CheckpointResponseSchema>;

/** Body of `POST /files/uploads/{upload_id}/complete`. */
export interface CompleteUploadRequest {
  /** Tokens of the parts NOT yet checkpointed; `[]` when all are. */
  parts: PartToken[];
  /** Base64 of the raw whole-file digest (CRC-32C: 4 bytes big-endian → 8 characters). */
  integrity_checksum?: string;
}

/** Lifecycle status of a stored file, in the short form of the complete response. */
export const FILE_STATUSES = [
  'Unknown',
  'Uploading',
  'Registered',
  'Ingested',
  'Deleting',
  'Deleted',
  'Corrupt',
] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

/**
 * `file_status` of `GET /files/metadata/{file_id}`: the reference's long form, a
 * different format from the complete response's short `Registered` / `Corrupt`.
 */
export const METADATA_FILE_STATUSES = [
  'FILE_STATUS_UNKNOWN',
  'FILE_STATUS_REGISTERED',
  'FILE_STATUS_INGESTING',
  'FILE_STATUS_INGESTED',
  'FILE_STATUS_IN_MEMORY',
  'FILE_STATUS_IN_COLD_STORAGE',
  'FILE_STATUS_CORRUPT',
] as const;
export type MetadataFileStatus = (typeof METADATA_FILE_STATUSES)[number];

/**
 * Whether a `file_status` says the file is Corrupt, in either format: `Corrupt`
 * (complete) or `FILE_STATUS_CORRUPT` (metadata). Undefined is not corrupt.
 */
export function isCorruptFileStatus(status: string | undefined): boolean {
  return status === 'Corrupt' || status === 'FILE_STATUS_CORRUPT';
}

export const CompleteUploadResponseSchema = v.looseObject({
  file_uid: v.string(),
  file_name: v.string(),
  num_bytes: nonNegativeInt,
  file_status: v.string(),
  file_attributes: v.optional(v.record(v.string(), v.unknown())),
});
/** Answer of `POST /files/uploads/{upload_id}/complete`; `file_status` is `Registered` on success. */
export type CompleteUploadResponse = v.InferOutput<typeof CompleteUploadResponseSchema>;

/**
 * The documented long form, `{file_id, file_uid, is_valid, file_type, num_bytes,
 * file_status, file_attributes, ingested, file_index, file_tags}`. Every field is
 * optional and `file_status` stays a plain string, so an older or newer server's
 * answer still parses; `file_name` is not part of the documented form (`file_id`
 * is the name) but is kept when a server sends it. `file_index` and `file_tags`
 * have no documented shape and come through as `unknown`.
 */
export const FileMetadataSchema = v.looseObject({
  file_id: v.optional(v.string()),
  file_uid: v.optional(v.string()),
  is_valid: v.optional(v.boolean()),
  file_type: v.optional(v.string()),
  num_bytes: v.optional(nonNegativeInt),
  /** Long form (`FILE_STATUS_REGISTERED`, `FILE_STATUS_CORRUPT`, …), see {@link METADATA_FILE_STATUSES}. */
  file_status: v.optional(v.string()),
  file_attributes: v.optional(v.record(v.string(), v.unknown())),
  ingested: v.optional(v.boolean()),
  file_index: v.optional(v.unknown()),
  file_tags: v.optional(v.unknown()),
  file_name: v.optional(v.string()),
});
/** Answer of `GET /files/metadata/{file_id}`; fields beyond these pass through untyped. */
export type FileMetadata = v.InferOutput<typeof FileMetadataSchema>;
