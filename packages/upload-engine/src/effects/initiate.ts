import type { UploadContext, UploadEvent } from '../context.js';
import { applyInitiateAnswer, checkInitiateAnswer } from '../initiate-answer.js';
import { PartState } from '../part-state.js';
import { PartTable } from '../part-table.js';
import { ProgressTracker } from '../progress.js';
import type { EffectDeps } from './deps.js';

/**
 * `initiating`: asks the server for the upload (resuming it when this browser knows it),
 * checks the answer against the file, sets every part's state from it, and writes the
 * resume record. Ends with `INITIATED`, carrying the part table and a fresh tracker.
 */
export async function initiate(
  ctx: UploadContext,
  deps: EffectDeps,
  signal: AbortSignal,
): Promise<UploadEvent> {
  const id = ctx.identity!;
  const { api } = deps;
  const resume = ctx.resume;
  const knownUploadId = deps.snapshot().uploadId;
  const res = await deps.call(
    'initiate',
    () =>
      api.initiateUpload(
        {
          filename: id.name,
          file_type: id.type,
          num_bytes: id.size,
          // After this session initiated once, a re-initiate is a resume by definition.
          ...(resume || knownUploadId ? { resume_if_started: true } : {}),
        },
        { signal },
      ),
    signal,
  );
  checkInitiateAnswer(res, id.size);
  signal.throwIfAborted();

  // Keep the table across a pause of the same upload: it holds this session's tokens and CRCs.
  const table =
    ctx.table && knownUploadId === res.upload_id && ctx.table.partSize === res.part_size
      ? ctx.table
      : new PartTable(id.size, res.part_size);
  const record = deps.records?.get(ctx.key);
  const sameUpload = record?.uploadId === res.upload_id && record.partSize === res.part_size;
  // Tokens this browser holds for parts the server has not checkpointed.
  const stored = sameUpload ? record.tokens : {};
  // The checksum of the file's start, hashed before a reload: a new table starts from it.
  const prefix = sameUpload ? record.crcPrefix : undefined;
  if (
    table !== ctx.table &&
    prefix &&
    Number.isSafeInteger(prefix.parts) &&
    prefix.parts > 0 &&
    prefix.parts <= table.numParts &&
    Number.isInteger(prefix.crc) &&
    prefix.crc >= 0 &&
    prefix.crc <= 0xffffffff
  ) {
    table.hashedParts = prefix.parts;
    table.hashedCrc = prefix.crc;
  }
  const now = Date.now();
  const plan = applyInitiateAnswer(table, res, stored, now, deps.settings.urlRefreshMarginMs);
  const progress = new ProgressTracker(id.size, table.numParts);
  progress.bytesConfirmed = plan.confirmedBytes;
  progress.restartClock(now);
  deps.publisher.partsChanged();

  const tokens: Record<string, string> = {};
  let heldBytes = 0;
  for (const t of plan.toCheckpoint) {
    tokens[t.part_number] = t.part_token;
    heldBytes += table.length(t.part_number);
  }
  deps.records?.put({
    key: ctx.key,
    file: id,
    uploadId: res.upload_id,
    partSize: res.part_size,
    numParts: res.num_parts,
    tokens,
    // What the server holds (checkpointed), for the recovery shelf to show before any request.
    confirmedBytes: plan.confirmedBytes - heldBytes,
    confirmedParts: table.counts[PartState.checkpointed]!,
    updatedAt: now,
    ...(ctx.handle ? { handle: ctx.handle } : {}),
    ...(table.hashedParts > 0
      ? { crcPrefix: { parts: table.hashedParts, crc: table.hashedCrc } }
      : {}),
  });

  const hashing = deps.settings.integrity !== 'off' && res.integrity_algorithm === 'crc32c';
  return {
    type: 'INITIATED',
    table,
    progress,
    patch: {
      uploadId: res.upload_id,
      fileUid: res.file_uid,
      partSize: res.part_size,
      numParts: res.num_parts,
      isResume: res.is_resume,
      resumedBytes: res.is_resume ? plan.resumedBytes : 0,
      integrityAlgorithm: res.integrity_algorithm,
      checksum: hashing ? 'computing' : 'disabled',
    },
  };
}
