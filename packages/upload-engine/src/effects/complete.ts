import {
  type CompleteUploadRequest,
  type CompleteUploadResponse,
  type FilesApiClient,
  isCorruptFileStatus,
  isFilesApiError,
} from '@atai-upload/api-client';
import { crc32cToBase64 } from '@atai-upload/crc32c';
import type { UploadContext, UploadEvent } from '../context.js';
import { UploadError } from '../errors.js';
import { PartState } from '../part-state.js';
import type { PartTable } from '../part-table.js';
import { heldTokens } from './checkpoints.js';
import type { EffectDeps } from './deps.js';

/**
 * `completing`: lets a checkpoint in flight land, combines the part CRCs into the whole-file
 * CRC-32C, and completes with the tokens not checkpointed yet. A retried complete that
 * meets a 409 asks the server whether the first attempt succeeded after all.
 */
export async function complete(
  ctx: UploadContext,
  deps: EffectDeps,
  signal: AbortSignal,
): Promise<UploadEvent> {
  const table = ctx.table!;
  const { api } = deps;
  const snap = deps.snapshot();
  const uploadId = snap.uploadId!;
  const cp = ctx.services?.checkpointer;
  // Let a checkpoint in flight land, so we know exactly which tokens complete must carry.
  await cp?.idle();
  cp?.stop();
  let checksum: string | undefined;
  if (await ctx.services?.hashing) {
    checksum = wholeFileChecksum(table);
    deps.publisher.publish({ checksum: 'ready' });
  }
  // Complete carries the tokens the server has not checkpointed.
  const parts = heldTokens(table);
  const attempts = { count: 0 };
  const body = checksum === undefined ? { parts } : { parts, integrity_checksum: checksum };
  const result = await deps
    .call('complete', completeRequest(api, uploadId, body, signal, attempts), signal)
    .catch(async (e: unknown) => {
      if (attempts.count > 1 && isFilesApiError(e) && e.code === 'conflict') {
        const done = await completedAfterAll(ctx, deps, snap.fileUid, signal);
        if (done) return done;
      }
      if (checksum !== undefined && (await corruptPerServer(ctx, deps, e, signal))) {
        throw new UploadError(
          'integrity_mismatch',
          `The server marked "${ctx.identity!.name}" corrupt: its checksum did not match. ${e instanceof Error ? e.message : ''}`.trim(),
          { resumable: false, cause: e, status: isFilesApiError(e) ? e.status : undefined },
        );
      }
      throw e;
    });
  for (const p of parts) table.set(p.part_number, PartState.checkpointed);
  deps.publisher.partsChanged();
  deps.records?.remove(ctx.key);
  return {
    type: 'COMPLETED',
    result,
    checksum: checksum === undefined ? deps.snapshot().checksum : 'verified',
    at: Date.now(),
  };
}

/**
 * The complete request as its own closure: a settled mutation keeps its function for 30 s
 * (devtools), and a closure made inside `complete` would share that function's scope and
 * keep the whole part table alive with it.
 */
function completeRequest(
  api: FilesApiClient,
  uploadId: string,
  body: CompleteUploadRequest,
  signal: AbortSignal,
  attempts: { count: number },
): () => Promise<CompleteUploadResponse> {
  return () => {
    attempts.count++;
    return api.completeUpload(uploadId, body, { signal });
  };
}

/** CRC-32C of the whole file (the hashed prefix, once it covers every part), in base64. */
function wholeFileChecksum(table: PartTable): string {
  if (table.hashedParts !== table.numParts) {
    throw new UploadError(
      'checksum_unavailable',
      `the checksum covers ${table.hashedParts} of ${table.numParts} parts`,
      { resumable: true },
    );
  }
  return crc32cToBase64(table.hashedCrc);
}

/**
 * A complete that carried a checksum failed with an error whose code does not say
 * "mismatch": the reference only promises that a mismatch marks the file corrupt, so ask the
 * file's metadata rather than guess from the status or the wording.
 */
async function corruptPerServer(
  ctx: UploadContext,
  deps: EffectDeps,
  error: unknown,
  signal: AbortSignal,
): Promise<boolean> {
  if (!isFilesApiError(error) || error.retryable || error.code === 'integrity_mismatch')
    return false;
  const meta = await deps.api
    .getFileMetadata(ctx.identity!.name, { signal })
    .catch(() => undefined);
  return meta !== undefined && isCorruptFileStatus(meta.file_status);
}

/** After a 409 on a retried complete: the file's metadata says whether it is registered. */
async function completedAfterAll(
  ctx: UploadContext,
  deps: EffectDeps,
  fileUid: string | undefined,
  signal: AbortSignal,
): Promise<CompleteUploadResponse | undefined> {
  const id = ctx.identity!;
  const meta = await deps.api.getFileMetadata(id.name, { signal }).catch(() => undefined);
  if (!meta || meta.file_uid !== fileUid || isCorruptFileStatus(meta.file_status)) return undefined;
  // Metadata speaks the long form (FILE_STATUS_REGISTERED); the result keeps complete's words.
  return {
    file_uid: meta.file_uid ?? '',
    file_name: meta.file_id ?? meta.file_name ?? id.name,
    num_bytes: id.size,
    file_status: 'Registered',
  };
}
