import type { UploadContext, UploadEvent } from '../context.js';
import type { EffectDeps } from './deps.js';

/**
 * Entry of `paused` and `failed`: in-flight attempts no longer count, parts that were on
 * their way go back to pending, and the tokens held are checkpointed (best effort) before
 * the checkpointer stops. A failure that cannot be resumed also forgets the resume record.
 */
export function stopParts(ctx: UploadContext, deps: EffectDeps, event: UploadEvent): void {
  ctx.progress.clearInFlight();
  ctx.table?.resetUnconfirmed();
  const cp = ctx.services?.checkpointer;
  ctx.services = undefined;
  if (cp) void cp.flush().finally(() => cp.stop());
  deps.publisher.dirty(true);
  if (event.type === 'FAIL' && !event.error.resumable) deps.records?.remove(ctx.key);
}

/** Entry of `aborting`: the upload is being thrown away, so nothing more is checkpointed. */
export function dropParts(ctx: UploadContext): void {
  ctx.services?.checkpointer.stop();
  ctx.progress.clearInFlight();
}
