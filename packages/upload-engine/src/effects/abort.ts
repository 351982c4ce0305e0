import { isFilesApiError } from '@atai-upload/api-client';
import type { UploadContext, UploadEvent } from '../context.js';
import type { RetryPolicy } from '../timing.js';
import type { EffectDeps } from './deps.js';

/** Cancel should not hang for minutes: a few quick tries, then give up with a warning. */
const ABORT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 300, maxDelayMs: 2_000 };

/**
 * `aborting`: aborts the server upload (when one was initiated) and forgets the resume
 * record. A failed abort is only a warning: the unfinished upload expires on the server.
 */
export async function abort(ctx: UploadContext, deps: EffectDeps): Promise<UploadEvent> {
  const { api } = deps;
  const uploadId = deps.snapshot().uploadId;
  if (uploadId) {
    try {
      await deps.call('abort', () => api.abortUpload(uploadId), undefined, ABORT_RETRY);
    } catch (e) {
      deps.warn(
        isFilesApiError(e) && e.code === 'upload_completed'
          ? 'The upload had already completed on the server; it could not be aborted'
          : 'The server abort failed; the unfinished upload will expire on the server',
        e,
      );
    }
  }
  deps.records?.remove(ctx.key);
  return { type: 'ABORTED', at: Date.now() };
}
