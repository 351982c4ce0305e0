import { isOffline } from '../connectivity.js';
import type { UploadContext, UploadEvent } from '../context.js';
import { UploadError } from '../errors.js';
import type { EffectDeps } from './deps.js';

/**
 * `preparing`: local checks before any request. Which resume record applies, and whether
 * an unfinished upload of a different file claims this name (a clear `upload_conflict`
 * rather than a silent overwrite). Offline, it waits for the network instead.
 */
export function prepare(ctx: UploadContext, deps: EffectDeps): UploadEvent {
  const id = ctx.identity!;
  const record = deps.records?.get(ctx.key);
  const byName = deps.records?.findByName(id.name);
  if (!record && byName && byName.key !== ctx.key) {
    const other = byName.file;
    throw new UploadError(
      'upload_conflict',
      `An unfinished upload of a different file named "${id.name}" (${other.size} bytes, modified ${new Date(other.lastModified).toISOString()}) exists in this browser.`,
    );
  }
  if (isOffline()) return { type: 'PAUSE', reason: 'offline' };
  const mode = deps.settings.resume;
  return {
    type: 'PREPARED',
    resume: mode === 'always' || (mode === 'auto' && record !== undefined),
  };
}

/**
 * Before `START_OVER`: forget the different file's record that caused the conflict, and
 * abort its unfinished upload on the server (best effort).
 */
export function forgetConflicting(ctx: UploadContext, deps: EffectDeps): void {
  const stale = deps.records?.findByName(ctx.identity!.name);
  if (!stale || stale.key === ctx.key) return;
  deps.records?.remove(stale.key);
  deps.api
    .abortUpload(stale.uploadId)
    .catch((e: unknown) => deps.warn('Could not abort the replaced upload', e));
}
