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

/**
 * Entry of `idle`, `interrupted`, `completed` and `aborted`: this tab no longer works on the
 * file, so its lock goes (a waiting tab may take over). A finished upload's last state is
 * posted before the lock goes, so the waiting tab shows it instead of starting again.
 */
export function releaseFile(_ctx: UploadContext, deps: EffectDeps, event: UploadEvent): void {
  if (event.type === 'COMPLETED') {
    deps.tabs.release({
      status: 'completed',
      result: event.result,
      checksum: event.checksum,
    });
  } else if (event.type === 'ABORTED') deps.tabs.release({ status: 'aborted' });
  else deps.tabs.release();
}
