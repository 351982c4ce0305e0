import type { UploadContext, UploadEvent } from '../context.js';
import { UploadError } from '../errors.js';
import { fileKey } from '../resume-store.js';
import type { EffectDeps } from './deps.js';

/** The permission calls of `FileSystemHandle` (Chromium), missing from TypeScript's DOM types. */
interface PermissionHandle {
  queryPermission?(options: { mode: 'read' }): Promise<PermissionState>;
  requestPermission?(options: { mode: 'read' }): Promise<PermissionState>;
}

const unreadable = (message: string) =>
  ({
    type: 'NOT_REOPENED',
    error: new UploadError('file_unreadable', message, { resumable: true }),
  }) as const;

/**
 * `reopening`: gets the file back from its stored handle after a reload. The browser asks the
 * user for read permission again (`requestPermission`, which needs the click that called
 * `resume()`: it is asked within the same user activation). The file must still be the one
 * the record names (name, size, modification time); otherwise the record is kept and the
 * user is told to pick the file.
 */
export async function reopen(ctx: UploadContext, _deps: EffectDeps): Promise<UploadEvent> {
  const handle = ctx.handle as (FileSystemFileHandle & PermissionHandle) | undefined;
  const expected = ctx.identity!;
  if (!handle) return unreadable('No stored file to reopen: pick the file again.');
  try {
    let permission = (await handle.queryPermission?.({ mode: 'read' })) ?? 'granted';
    if (permission !== 'granted' && handle.requestPermission) {
      permission = await handle.requestPermission({ mode: 'read' });
    }
    if (permission !== 'granted') {
      return unreadable(
        `The browser did not allow reading "${expected.name}" again. Resume and allow access, or pick the file.`,
      );
    }
    const file = await handle.getFile();
    const same =
      fileKey({ ...expected, size: file.size, lastModified: file.lastModified }) === ctx.key;
    if (!same) {
      return unreadable(
        `"${expected.name}" changed on disk since the upload began (size or modification time differ). Pick the original file, or discard this upload.`,
      );
    }
    return { type: 'REOPENED', file, at: Date.now() };
  } catch (e) {
    const name = e instanceof DOMException ? e.name : '';
    return unreadable(
      name === 'NotFoundError'
        ? `"${expected.name}" is no longer where it was (moved or deleted). Pick it again, or discard this upload.`
        : `"${expected.name}" could not be reopened (${e instanceof Error ? e.message : String(e)}). Pick it again.`,
    );
  }
}
