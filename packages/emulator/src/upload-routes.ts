import { crc32cFromBase64, crc32cToBase64 } from '@atai-upload/crc32c';
import { effectivePartSize, MAX_NUM_BYTES } from './config.js';
import type { EmulatorContext } from './context.js';
import { ApiError, type ApiErrorItem } from './http-util.js';
import { newFileUid, newUploadId } from './ids.js';
import { FILE_ATTRIBUTES } from './metadata.js';
import { type PartUrlEntry, UrlIssuer } from './part-urls.js';
import type { Upload, UploadMeta } from './store.js';

/** Result of a route: a status and a JSON body, or an empty body. */
export interface RouteResult {
  status: number;
  body?: unknown;
}

const MAX_LISTED = 10;

function describeList(numbers: readonly number[]): string {
  const shown = numbers.slice(0, MAX_LISTED).join(', ');
  return numbers.length > MAX_LISTED ? `${shown}, … (${numbers.length} in total)` : shown;
}

/**
 * The answer for an unknown upload id. An aborted upload gets the same one: the
 * server has released it, so it no longer exists as far as a client can tell.
 */
export function uploadNotFound(uploadId: string): ApiError {
  return new ApiError(404, 'upload_not_found', `Upload ${uploadId} was not found`, {
    suggestion:
      'It never existed or was aborted; start a new upload with POST /files/uploads/initiate',
  });
}

/** The upload, unless it is unknown or aborted (both 404 `upload_not_found`). */
function requireUpload(ctx: EmulatorContext, uploadId: string): Upload {
  const upload = ctx.store.get(uploadId);
  if (!upload || upload.status === 'aborted') throw uploadNotFound(uploadId);
  return upload;
}

/** Call with an upload from {@link requireUpload}, whose mutex may have been waited on since. */
function requireInProgress(upload: Upload): void {
  const id = upload.meta.uploadId;
  switch (upload.status) {
    case 'in_progress':
      return;
    case 'completed':
      throw new ApiError(409, 'upload_completed', `Upload ${id} is already completed`, {
        suggestion: `Read the stored file with GET /files/metadata/{file_id} (file_id "${upload.meta.filename}")`,
      });
    case 'corrupt':
      throw new ApiError(
        409,
        'upload_completed',
        `Upload ${id} is already completed (its file failed the integrity check and is marked Corrupt)`,
        { suggestion: 'Upload the file again as a new upload' },
      );
    case 'aborted':
      // Aborted while this call waited for the upload's lock.
      throw uploadNotFound(id);
  }
}

/** The type checks of a validated value failed although no problem was recorded: a bug here. */
function unreachable(): never {
  throw new Error('initiate: a field check failed without reporting a problem');
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function checkPartNumber(upload: Upload, value: unknown, where: string): number {
  if (!isInteger(value)) {
    throw new ApiError(400, 'invalid_request', `${where}: part_number must be an integer`);
  }
  const { numParts } = upload.meta;
  if (value < 0 || value >= numParts) {
    throw new ApiError(
      400,
      'invalid_part_number',
      `${where}: part_number ${value} is out of range; this upload has ${numParts} part(s), numbered 0 to ${numParts - 1}`,
    );
  }
  return value;
}

/**
 * The in-range part numbers named in a `parts` list (malformed entries are left to
 * checkTokens to report), so the storage can be asked about those parts only.
 */
function partNumbersOf(upload: Upload, value: unknown): number[] {
  if (!Array.isArray(value)) return [];
  const numbers: number[] = [];
  for (const item of value as unknown[]) {
    const n = (item as { part_number?: unknown } | null)?.part_number;
    if (isInteger(n) && n >= 0 && n < upload.meta.numParts) numbers.push(n);
  }
  return numbers;
}

/** Validates `[{part_number, part_token}]` against the stored ETags; returns them in request order. */
function checkTokens(
  upload: Upload,
  value: unknown,
  field: string,
): Array<{ partNumber: number; token: string }> {
  if (!Array.isArray(value)) {
    throw new ApiError(
      400,
      'invalid_request',
      `${field} must be an array of {part_number, part_token}`,
    );
  }
  return value.map((item: unknown, i) => {
    const where = `${field}[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new ApiError(
        400,
        'invalid_request',
        `${where} must be an object {part_number, part_token}`,
      );
    }
    const entry = item as Record<string, unknown>;
    const partNumber = checkPartNumber(upload, entry.part_number, where);
    const token = entry.part_token;
    if (typeof token !== 'string' || token === '') {
      throw new ApiError(400, 'invalid_request', `${where}: part_token must be a non-empty string`);
    }
    const stored = upload.parts.get(partNumber);
    if (!stored) {
      throw new ApiError(400, 'part_not_uploaded', `Part ${partNumber} has not been uploaded`, {
        suggestion: 'PUT its bytes to the part URL first',
      });
    }
    if (stored.etag !== token) {
      throw new ApiError(
        400,
        'invalid_part_token',
        `part_token for part ${partNumber} does not match the uploaded part`,
        {
          suggestion:
            "Send the ETag header of the part's latest successful PUT exactly as received, quotes included",
        },
      );
    }
    return { partNumber, token };
  });
}

/** Path separators would make the name unusable as `file_id` in `/files/metadata/{file_id}`. */
const PATH_SEPARATOR = /[/\\]/;

/** Adds what is wrong with `filename` to `problems`; true when nothing is. */
function checkFilename(filename: unknown, problems: ApiErrorItem[]): filename is string {
  if (typeof filename !== 'string' || filename.trim() === '') {
    problems.push({
      code: 'invalid_filename',
      message: 'filename is required and must be a non-empty string',
    });
    return false;
  }
  if (filename.length > 1024 || filename.includes('\0')) {
    problems.push({
      code: 'invalid_filename',
      message: 'filename must be at most 1024 characters and contain no NUL',
    });
    return false;
  }
  if (PATH_SEPARATOR.test(filename) || filename === '.' || filename === '..') {
    problems.push({
      code: 'invalid_filename',
      message: `Invalid filename "${filename}": it must not contain "/" or "\\" or be "." or ".."`,
      suggestion: 'Send the base name of the file only, e.g. "data.csv"',
    });
    return false;
  }
  return true;
}

/** Adds what is wrong with `fileType` to `problems`; true when it is an accepted type. */
function checkFileType(
  ctx: EmulatorContext,
  fileType: unknown,
  problems: ApiErrorItem[],
): fileType is string {
  const accepted = ctx.config.fileTypes;
  if (typeof fileType === 'string' && accepted.includes(fileType)) return true;
  problems.push({
    code: 'invalid_file_type',
    message:
      typeof fileType === 'string' && fileType !== ''
        ? `Unsupported file type: ${fileType}`
        : 'file_type is required and must be a MIME type string',
    suggestion: `Supported types: ${accepted.join(', ')}`,
  });
  return false;
}

/** Adds what is wrong with `numBytes` to `problems`; true when it is a valid size. */
function checkNumBytes(numBytes: unknown, problems: ApiErrorItem[]): numBytes is number {
  if (!isInteger(numBytes) || numBytes <= 0) {
    problems.push({
      code: 'invalid_file_size',
      message: 'num_bytes is required and must be a positive integer',
      suggestion: 'Send the file length in bytes',
    });
    return false;
  }
  if (numBytes > MAX_NUM_BYTES) {
    problems.push({
      code: 'invalid_file_size',
      message: `File size ${numBytes} bytes exceeds the direct-to-cloud limit of 250 GiB (${MAX_NUM_BYTES} bytes)`,
      suggestion: 'Files up to 250 GiB can be uploaded; split larger data into several files',
    });
    return false;
  }
  return true;
}

/** `POST /files/uploads/initiate` */
export async function initiate(
  ctx: EmulatorContext,
  body: Record<string, unknown>,
): Promise<RouteResult> {
  const { filename, file_type: fileType, num_bytes: numBytes, resume_if_started: resume } = body;
  // Every field is checked and every problem reported in one answer, as the envelope allows.
  const problems: ApiErrorItem[] = [];
  const nameOk = checkFilename(filename, problems);
  const typeOk = checkFileType(ctx, fileType, problems);
  const sizeOk = checkNumBytes(numBytes, problems);
  if (resume !== undefined && resume !== null && typeof resume !== 'boolean') {
    problems.push({ code: 'invalid_request', message: 'resume_if_started must be a boolean' });
  }
  const [first, ...more] = problems;
  if (first) throw ApiError.several(400, [first, ...more]);
  if (!nameOk || !typeOk || !sizeOk) return unreachable();

  if (resume === true) {
    const existing = ctx.store.findResumable(filename);
    if (existing) {
      const m = existing.meta;
      if (m.fileType !== fileType || m.numBytes !== numBytes) {
        throw new ApiError(
          409,
          'upload_conflict',
          `A different file with the name "${filename}" is already being uploaded (upload ${m.uploadId}: ${m.numBytes} bytes of ${m.fileType})`,
          { suggestion: `Abort upload ${m.uploadId}, or upload under another name` },
        );
      }
      const issuer = new UrlIssuer(ctx, existing);
      const pending: number[] = [];
      for (let n = 0; n < m.numParts; n++) if (!existing.checkpoints.has(n)) pending.push(n);
      const parts: PartUrlEntry[] = await issuer.entries(pending, false);
      ctx.book.data.initiates++;
      return { status: 200, body: initiateBody(existing, true, parts) };
    }
  }

  const partSize = effectivePartSize(ctx.config.partSize, numBytes);
  const seq = ctx.store.nextSeq();
  const meta: UploadMeta = {
    uploadId: newUploadId(),
    fileUid: newFileUid(),
    filename,
    fileType,
    numBytes,
    partSize,
    numParts: Math.ceil(numBytes / partSize),
    integrity: ctx.config.integrity,
    createdAt: new Date(seq).toISOString(),
    seq,
  };
  const storageUploadId = await ctx.storage.begin(meta);
  const upload = await ctx.store.createUpload(
    storageUploadId === undefined ? meta : { ...meta, storageUploadId },
  );
  const issuer = new UrlIssuer(ctx, upload);
  const parts = await issuer.entries(
    Array.from({ length: upload.meta.numParts }, (_, n) => n),
    false,
  );
  ctx.book.data.initiates++;
  return { status: 200, body: initiateBody(upload, false, parts) };
}

function initiateBody(upload: Upload, isResume: boolean, parts: PartUrlEntry[]): unknown {
  const m = upload.meta;
  return {
    upload_id: m.uploadId,
    file_uid: m.fileUid,
    file_name: m.filename,
    total_bytes: m.numBytes,
    num_parts: m.numParts,
    part_size: m.partSize,
    is_resume: isResume,
    integrity_algorithm: m.integrity,
    parts,
  };
}

/** `POST /files/uploads/{upload_id}/parts/urls` */
export async function refreshUrls(
  ctx: EmulatorContext,
  uploadId: string,
  body: Record<string, unknown>,
): Promise<RouteResult> {
  const upload = requireUpload(ctx, uploadId);
  requireInProgress(upload);
  const requested = body.part_numbers;
  if (!Array.isArray(requested) || requested.length === 0) {
    throw new ApiError(
      400,
      'invalid_request',
      'part_numbers must be a non-empty array of integers',
    );
  }
  const numbers = requested.map((n: unknown, i) =>
    checkPartNumber(upload, n, `part_numbers[${i}]`),
  );
  ctx.book.data.refreshes++;
  const issuer = new UrlIssuer(ctx, upload);
  // Duplicates share one URL: the second lookup finds the first one's fresh URL.
  const parts: PartUrlEntry[] = [];
  for (const n of numbers) parts.push(await issuer.entry(n, true));
  return { status: 200, body: { parts } };
}

/** `POST /files/uploads/{upload_id}/parts/checkpoint` */
export async function checkpoint(
  ctx: EmulatorContext,
  uploadId: string,
  body: Record<string, unknown>,
): Promise<RouteResult> {
  const upload = requireUpload(ctx, uploadId);
  return upload.mutex.run(async () => {
    requireInProgress(upload);
    await ctx.storage.syncParts(upload, partNumbersOf(upload, body.parts));
    const entries = checkTokens(upload, body.parts, 'parts');
    const fresh = new Map<number, string>();
    const changed: Array<{ partNumber: number; token: string }> = [];
    for (const e of entries) {
      const known = upload.checkpoints.get(e.partNumber);
      if (known === undefined) fresh.set(e.partNumber, e.token);
      else if (known !== e.token) changed.push(e); // re-uploaded part: keep the current token
    }
    const toWrite = [
      ...[...fresh].map(([partNumber, token]) => ({ partNumber, token })),
      ...changed,
    ];
    await ctx.store.appendCheckpoints(upload, toWrite);
    ctx.book.data.checkpoints++;
    ctx.book.data.checkpointedParts += fresh.size;
    return { status: 200, body: { num_checkpointed: fresh.size } };
  });
}

/** `POST /files/uploads/{upload_id}/complete` */
export async function complete(
  ctx: EmulatorContext,
  uploadId: string,
  body: Record<string, unknown>,
): Promise<RouteResult> {
  const upload = requireUpload(ctx, uploadId);
  return upload.mutex.run(async () => {
    requireInProgress(upload);
    if (body.parts === undefined) {
      throw new ApiError(
        400,
        'invalid_request',
        'parts is required: the tokens of parts not yet checkpointed ([] when all are)',
      );
    }
    await ctx.storage.syncParts(upload);
    const given = checkTokens(upload, body.parts, 'parts');
    const checksum = body.integrity_checksum;
    let expectedCrc: number | undefined;
    if (checksum !== undefined && checksum !== null) {
      if (upload.meta.integrity === 'none') {
        throw new ApiError(
          400,
          'integrity_not_supported',
          'integrity_checksum was sent but this upload\'s integrity_algorithm is "none"',
          { suggestion: 'Omit integrity_checksum' },
        );
      }
      if (typeof checksum !== 'string') {
        throw new ApiError(
          400,
          'invalid_integrity_checksum',
          'integrity_checksum must be a string',
        );
      }
      try {
        expectedCrc = crc32cFromBase64(checksum);
      } catch {
        throw new ApiError(
          400,
          'invalid_integrity_checksum',
          `integrity_checksum "${checksum}" is not a base64 CRC-32C`,
          {
            suggestion:
              'Send the base64 of the 4-byte big-endian CRC-32C: 8 characters ending in "=="',
          },
        );
      }
    }

    const covered = new Set(given.map((g) => g.partNumber));
    const missing: number[] = [];
    const stale: number[] = [];
    for (let n = 0; n < upload.meta.numParts; n++) {
      if (covered.has(n)) continue;
      const token = upload.checkpoints.get(n);
      if (token === undefined) missing.push(n);
      else if (upload.parts.get(n)?.etag !== token) stale.push(n);
    }
    if (missing.length > 0) {
      throw new ApiError(
        400,
        'missing_parts',
        `Cannot complete: ${missing.length} part(s) are neither checkpointed nor listed in parts: ${describeList(missing)}`,
        { suggestion: 'Upload those parts and send their part_token, or checkpoint them first' },
      );
    }
    if (stale.length > 0) {
      throw new ApiError(
        400,
        'stale_checkpoint',
        `Cannot complete: part(s) ${describeList(stale)} were uploaded again after being checkpointed`,
        { suggestion: 'Send the part_token of their latest PUT in parts' },
      );
    }

    // Every part's token in part order: the ones sent now win over checkpointed ones.
    const sent = new Map(given.map((g) => [g.partNumber, g.token]));
    const tokens = Array.from(
      { length: upload.meta.numParts },
      (_, n) => sent.get(n) ?? upload.checkpoints.get(n) ?? '',
    );
    const stored = await ctx.storage.assemble(upload, tokens, expectedCrc !== undefined);
    if (expectedCrc !== undefined && stored !== undefined) {
      if (stored !== expectedCrc) {
        await ctx.storage.dropObject(upload);
        await ctx.store.finish(upload, 'corrupt', ctx.storage.kind);
        // The reference promises only "marks the file as corrupt and returns an error":
        // 400 with a code of the integrity family, nothing a client could key on by wording.
        throw new ApiError(
          400,
          'integrity_checksum_mismatch',
          `integrity_checksum ${checksum} does not match the CRC-32C of the stored object (${crc32cToBase64(stored)}); the file is marked Corrupt`,
          {
            suggestion:
              'Upload the file again as a new upload; if this repeats, check how the checksum is computed',
          },
        );
      }
    }
    const file = await ctx.store.finish(upload, 'completed', ctx.storage.kind);
    ctx.book.data.completes++;
    return {
      status: 200,
      body: {
        file_uid: file.fileUid,
        file_name: file.fileName,
        num_bytes: file.numBytes,
        file_status: 'Registered',
        file_attributes: { ...FILE_ATTRIBUTES },
      },
    };
  });
}

/** `POST /files/uploads/{upload_id}/abort` */
export async function abort(ctx: EmulatorContext, uploadId: string): Promise<RouteResult> {
  const upload = requireUpload(ctx, uploadId);
  return upload.mutex.run(async () => {
    if (upload.status === 'completed' || upload.status === 'corrupt') {
      throw new ApiError(
        409,
        'upload_completed',
        `Upload ${uploadId} is already completed and cannot be aborted`,
      );
    }
    // A concurrent abort won the lock: this one finds nothing left to release.
    if (upload.status === 'aborted') throw uploadNotFound(uploadId);
    await ctx.storage.abort(upload);
    await ctx.store.abort(upload);
    ctx.book.data.aborts++;
    return { status: 200 };
  });
}
