import { isOffline } from '../connectivity.js';
import type { UploadContext, UploadEvent } from '../context.js';
import { UploadError } from '../errors.js';
import { requestPersistentStorage } from '../storage-persistence.js';
import { ownerAnswers } from '../tabs.js';
import type { EffectDeps } from './deps.js';

/**
 * `preparing`: local checks before any request. This tab takes the file's lock (another tab
 * uploading it sends this one to `elsewhere`), re-reads the resume records (the tab that had
 * the file before may have stored tokens since this page loaded), and looks for an
 * unfinished upload of a different file under this name (a clear `upload_conflict` rather
 * than a silent overwrite). Offline, it waits for the network instead.
 */
export async function prepare(
  ctx: UploadContext,
  deps: EffectDeps,
  signal: AbortSignal,
): Promise<UploadEvent> {
  const id = ctx.identity!;
  const lock = await deps.tabs.acquire(ctx.key, false, signal);
  if (lock === 'held') return { type: 'HELD_ELSEWHERE' };
  if (lock === 'unsupported') {
    // No Web Locks (an old browser): a tab that answers for the file owns it. Refuse clearly
    // rather than upload the same parts twice. (Outside a browser there are no other tabs.)
    if (typeof window !== 'undefined' && (await ownerAnswers(ctx.key))) {
      throw new UploadError(
        'in_other_tab',
        `"${id.name}" is being uploaded in another tab of this site.`,
        { resumable: true },
      );
    }
    deps.tabs.claim(ctx.key);
  }
  signal.throwIfAborted();
  await deps.records?.refresh();
  signal.throwIfAborted();
  const record = deps.records?.get(ctx.key);
  const byName = deps.records?.findByName(id.name);
  if (!record && byName && byName.key !== ctx.key) {
    const other = byName.file;
    throw new UploadError(
      'upload_conflict',
      `An unfinished upload of a different file named "${id.name}" (${other.size} bytes, modified ${new Date(other.lastModified).toISOString()}) exists in this browser.`,
    );
  }
  if (id.size >= deps.settings.persistStorageAbove) {
    void requestPersistentStorage().then((granted) => {
      if (granted !== undefined) deps.publisher.publish({ storagePersisted: granted });
    });
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
