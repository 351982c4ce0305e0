import { crc32cCombineAll, crc32cFromBase64 } from '@atai-upload/crc32c';
import { effectivePartSize, MAX_NUM_BYTES, SUPPORTED_FILE_TYPES } from './config.js';
import type { EmulatorContext } from './context.js';
import { ApiError } from './http-util.js';
import { newFileUid, newUploadId } from './ids.js';
import { type PartUrlEntry, UrlIssuer } from './part-urls.js';
import type { Upload } from './store.js';

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

function requireUpload(ctx: EmulatorContext, uploadId: string): Upload {
  const upload = ctx.store.get(uploadId);
  if (!upload) {
    throw new ApiError(404, 'upload_not_found', `Upload ${uploadId} does not exist`);
  }
  return upload;
}

function requireInProgress(upload: Upload): void {
  const id = upload.meta.uploadId;
  switch (upload.status) {
    case 'in_progress':
      return;
    case 'completed':
      throw new ApiError(409, 'upload_completed', `Upload ${id} is already completed`);
    case 'corrupt':
      throw new ApiError(
        409,
        'upload_completed',
        `Upload ${id} is already completed (its file failed the integrity check and is marked Corrupt)`,
      );
    case 'aborted':
      throw new ApiError(409, 'upload_aborted', `Upload ${id} was aborted`);
  }
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
      throw new ApiError(
        400,
        'part_not_uploaded',
        `Part ${partNumber} has not been uploaded: PUT its bytes to the part URL first`,
      );
    }
    if (stored.etag !== token) {
      throw new ApiError(
        400,
        'invalid_part_token',
        `part_token for part ${partNumber} does not match the uploaded part; send the ETag header of its successful PUT exactly, quotes included`,
      );
    }
    return { partNumber, token };
  });
}

/** `POST /files/uploads/initiate` */
export async function initiate(
  ctx: EmulatorContext,
  body: Record<string, unknown>,
): Promise<RouteResult> {
  const { filename, file_type: fileType, num_bytes: numBytes, resume_if_started: resume } = body;
  if (typeof filename !== 'string' || filename.trim() === '') {
    throw new ApiError(
      400,
      'invalid_filename',
      'filename is required and must be a non-empty string',
    );
  }
  if (filename.length > 1024 || filename.includes('\0')) {
    throw new ApiError(
      400,
      'invalid_filename',
      'filename must be at most 1024 characters and contain no NUL',
    );
  }
  if (typeof fileType !== 'string' || fileType === '') {
    throw new ApiError(
      400,
      'invalid_request',
      'file_type is required and must be a MIME type string',
    );
  }
  if (!SUPPORTED_FILE_TYPES.includes(fileType)) {
    throw new ApiError(
      400,
      'unsupported_file_type',
      `file_type "${fileType}" is not supported; supported types: ${SUPPORTED_FILE_TYPES.join(', ')}`,
    );
  }
  if (!isInteger(numBytes) || numBytes <= 0) {
    throw new ApiError(
      400,
      'invalid_num_bytes',
      'num_bytes is required and must be a positive integer',
    );
  }
  if (numBytes > MAX_NUM_BYTES) {
    throw new ApiError(
      400,
      'file_too_large',
      `num_bytes ${numBytes} exceeds the direct-to-cloud limit of 250 GiB (${MAX_NUM_BYTES} bytes)`,
    );
  }
  if (resume !== undefined && resume !== null && typeof resume !== 'boolean') {
    throw new ApiError(400, 'invalid_request', 'resume_if_started must be a boolean');
  }

  if (resume === true) {
    const existing = ctx.store.findResumable(filename);
    if (existing) {
      const m = existing.meta;
      if (m.fileType !== fileType || m.numBytes !== numBytes) {
        throw new ApiError(
          409,
          'upload_conflict',
          `A different file with the name "${filename}" is already being uploaded (upload ${m.uploadId}: ${m.numBytes} bytes of ${m.fileType}); abort it or choose another name`,
        );
      }
      const issuer = new UrlIssuer(ctx, existing);
      const parts: PartUrlEntry[] = [];
      for (let n = 0; n < m.numParts; n++) {
        if (!existing.checkpoints.has(n)) parts.push(issuer.entry(n, false));
      }
      ctx.book.data.initiates++;
      return { status: 200, body: initiateBody(existing, true, parts) };
    }
  }

  const partSize = effectivePartSize(ctx.config.partSize, numBytes);
  const seq = ctx.store.nextSeq();
  const upload = await ctx.store.createUpload({
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
  });
  const issuer = new UrlIssuer(ctx, upload);
  const parts = Array.from({ length: upload.meta.numParts }, (_, n) => issuer.entry(n, false));
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
export function refreshUrls(
  ctx: EmulatorContext,
  uploadId: string,
  body: Record<string, unknown>,
): RouteResult {
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
  return { status: 200, body: { parts: numbers.map((n) => issuer.entry(n, true)) } };
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
    const given = checkTokens(upload, body.parts, 'parts');
    const checksum = body.integrity_checksum;
    let expectedCrc: number | undefined;
    if (checksum !== undefined && checksum !== null) {
      if (upload.meta.integrity === 'none') {
        throw new ApiError(
          400,
          'integrity_not_supported',
          'integrity_checksum was sent but this upload\'s integrity_algorithm is "none"; omit it',
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
          'integrity_checksum must be the base64 of the 4-byte big-endian CRC-32C: 8 characters ending in "=="',
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
      );
    }
    if (stale.length > 0) {
      throw new ApiError(
        400,
        'stale_checkpoint',
        `Cannot complete: part(s) ${describeList(stale)} were uploaded again after being checkpointed; send their new part_token`,
      );
    }

    if (expectedCrc !== undefined) {
      const segments = [];
      for (let n = 0; n < upload.meta.numParts; n++) {
        const part = upload.parts.get(n)!;
        segments.push({ crc: part.crc32c, length: part.length });
      }
      if (crc32cCombineAll(segments) !== expectedCrc) {
        await ctx.store.finish(upload, 'corrupt');
        throw new ApiError(
          422,
          'integrity_mismatch',
          'integrity_checksum did not match the CRC-32C of the stored object; the file is marked Corrupt',
        );
      }
    }
    const file = await ctx.store.finish(upload, 'completed');
    ctx.book.data.completes++;
    return {
      status: 200,
      body: {
        file_uid: file.fileUid,
        file_name: file.fileName,
        num_bytes: file.numBytes,
        file_status: 'Registered',
        file_attributes: { metadata_status: 'not_extracted' },
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
    if (upload.status === 'in_progress') await ctx.store.abort(upload);
    ctx.book.data.aborts++;
    return { status: 200 };
  });
}
