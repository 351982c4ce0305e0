import type { UploadContext, UploadEvent } from '../context.js';
import { followOwner } from '../tabs.js';
import type { RemoteUploadView } from '../types.js';
import type { EffectDeps } from './deps.js';

/**
 * After the lock is granted, how long to listen for the owner's last message: it posts its
 * final state before letting go, but the two travel separately.
 */
const SETTLE_MS = 50;

/**
 * `elsewhere`: another tab uploads this file. Mirrors its progress into this upload's
 * snapshot (`remote`, `progress`), and waits for its lock. Ends with `COMPLETED` or
 * `ABORTED` when the owner finished the upload, or `LOCK_ACQUIRED` when it let go without
 * finishing (closed, crashed, disposed): then this tab takes over and resumes.
 */
export async function followTab(
  ctx: UploadContext,
  deps: EffectDeps,
  signal: AbortSignal,
): Promise<UploadEvent> {
  let last: RemoteUploadView | undefined;
  let onFinal: ((view: RemoteUploadView) => void) | undefined;
  const finished = new Promise<RemoteUploadView>((resolve) => {
    onFinal = resolve;
  });
  const stop = followOwner(ctx.key, (view) => {
    last = view;
    if (signal.aborted) return;
    deps.publisher.publish({ remote: view, progress: view.progress, checksum: view.checksum });
    if (view.status === 'completed' || view.status === 'aborted') onFinal?.(view);
  });
  const waiting = new AbortController();
  const abortWait = () => waiting.abort(signal.reason);
  signal.addEventListener('abort', abortWait, { once: true });
  try {
    const lock = deps.tabs
      .acquire(ctx.key, true, waiting.signal)
      .then(() => new Promise<undefined>((r) => setTimeout(r, SETTLE_MS)));
    lock.catch(() => {}); // when the owner's final state wins, the abandoned wait rejects
    const view = await Promise.race([finished, lock]);
    const final =
      view ?? (last?.status === 'completed' || last?.status === 'aborted' ? last : undefined);
    if (final?.status === 'completed' && final.result) {
      deps.tabs.release();
      return { type: 'COMPLETED', result: final.result, checksum: final.checksum, at: Date.now() };
    }
    if (final) {
      deps.tabs.release();
      return { type: 'ABORTED', at: Date.now() };
    }
    return { type: 'LOCK_ACQUIRED' };
  } finally {
    waiting.abort();
    signal.removeEventListener('abort', abortWait);
    stop();
  }
}
