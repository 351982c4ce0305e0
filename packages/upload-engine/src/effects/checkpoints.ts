import { isFilesApiError, type PartToken } from '@atai-upload/api-client';
import { Checkpointer } from '../checkpointer.js';
import type { UploadContext } from '../context.js';
import { PartState } from '../part-state.js';
import type { PartTable } from '../part-table.js';
import type { EffectDeps } from './deps.js';

/** The checkpointer of one run: acknowledged tokens leave the table and the resume record. */
export function createCheckpointer(
  ctx: UploadContext,
  deps: EffectDeps,
  uploadId: string,
  signal: AbortSignal,
): Checkpointer {
  const table = ctx.table!;
  const { api } = deps;
  return new Checkpointer({
    batchSize: deps.settings.checkpointBatchSize,
    intervalMs: deps.settings.checkpointIntervalMs,
    tokenOf: (n) => (table.state(n) === PartState.uploaded ? table.tokens[n] : undefined),
    send: async (parts) => {
      await deps.call('checkpoint', () => api.checkpointParts(uploadId, parts), signal);
    },
    onAcknowledged: (numbers) => {
      // A late answer for a table that was replaced since (a fresh retry) changes nothing.
      if (deps.context().table !== table) return;
      markCheckpointed(table, numbers);
      deps.records?.dropTokens(ctx.key, numbers);
      deps.publisher.dirty(true);
    },
    onFailed: (numbers, error) => {
      if (!signal.aborted) {
        deps.warn(
          `Checkpoint of ${numbers.length} parts failed; their tokens will be sent with complete`,
          error,
        );
      }
    },
  });
}

function markCheckpointed(table: PartTable, numbers: readonly number[]): void {
  for (const n of numbers) {
    if (table.state(n) === PartState.uploaded) {
      table.set(n, PartState.checkpointed);
      table.tokens[n] = undefined;
    }
  }
}

/** Parts uploaded whose tokens the server has not checkpointed, in order. */
export function heldTokens(table: PartTable): PartToken[] {
  const held: PartToken[] = [];
  if (table.counts[PartState.uploaded] === 0) return held;
  for (let n = 0; n < table.numParts; n++) {
    if (table.state(n) === PartState.uploaded)
      held.push({ part_number: n, part_token: table.tokens[n]! });
  }
  return held;
}

/**
 * On resume, parts uploaded but never checkpointed (this session's, or the resume
 * record's after a reload) are checkpointed now instead of being sent again. If the
 * server refuses the tokens (it lost the parts), those parts are simply uploaded again.
 */
export async function checkpointHeld(
  ctx: UploadContext,
  deps: EffectDeps,
  uploadId: string,
  parts: PartToken[],
  signal: AbortSignal,
): Promise<void> {
  const table = ctx.table!;
  const numbers = parts.map((p) => p.part_number);
  const { api } = deps;
  try {
    await deps.call('checkpoint', () => api.checkpointParts(uploadId, parts, { signal }), signal);
    markCheckpointed(table, numbers);
    deps.records?.dropTokens(ctx.key, numbers);
  } catch (e) {
    signal.throwIfAborted();
    if (isFilesApiError(e) && !e.retryable) {
      deps.warn('Stored part tokens were refused; those parts will be uploaded again', e);
      for (const n of numbers) {
        table.set(n, PartState.pending);
        table.tokens[n] = undefined;
        ctx.progress.bytesConfirmed -= table.length(n);
      }
      deps.records?.dropTokens(ctx.key, numbers);
    } else {
      deps.warn('Checkpoint of stored tokens failed; they will be sent with complete', e);
    }
  }
  deps.publisher.dirty(true);
}
