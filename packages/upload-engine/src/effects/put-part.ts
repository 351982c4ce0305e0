import { isFilesApiError } from '@atai-upload/api-client';
import type { RunServices, UploadContext } from '../context.js';
import { toUploadError, UploadError } from '../errors.js';
import { PartState } from '../part-state.js';
import { withRetry } from '../retry.js';
import type { EffectDeps } from './deps.js';

/**
 * Sends part `n`: a `Blob` slice taken when the PUT starts (never the part in memory),
 * retried under the engine's rule. A 403 refreshes that part's URL and retries once for
 * free; a network error first checks that the file can still be read. On success the
 * token goes to the table, the resume record and the checkpointer. Throws the final error;
 * the caller marks the part failed.
 */
export async function putPart(
  n: number,
  ctx: UploadContext,
  services: RunServices,
  deps: EffectDeps,
  signal: AbortSignal,
): Promise<void> {
  const table = ctx.table!;
  const file = ctx.file!;
  const progress = ctx.progress;
  const offset = table.offset(n);
  const length = table.length(n);
  let refreshed = false;
  let opaqueInARow = 0;
  try {
    const { etag } = await withRetry(
      async () => {
        const url = await services.urls.urlFor(n, signal);
        try {
          return await deps.mutate(
            'putPart',
            (body: Blob) =>
              deps.parts.putPart({
                url,
                body,
                signal,
                onProgress: (loaded) => {
                  progress.inFlight(n, loaded, length);
                  deps.publisher.dirty();
                },
              }),
            file.slice(offset, offset + length),
          );
        } catch (e) {
          progress.rollback(n);
          deps.publisher.dirty();
          throw e;
        }
      },
      deps.settings.retry,
      signal,
      {
        onFailure: async (e) => {
          if (!isFilesApiError(e)) return false;
          if (e.status === 429 || (e.status ?? 0) >= 500) deps.limiter.overloaded();
          if (e.code === 'url_expired' && !refreshed) {
            // The URL expired between our check and the PUT: one free refresh-and-retry.
            refreshed = true;
            services.urls.invalidate(n);
            return true;
          }
          if (e.code !== 'network' && e.code !== 'timeout') {
            opaqueInARow = 0;
            return false;
          }
          await assertReadable(file, ctx.identity!.name, offset, length);
          // A real S3 store answers an expired or badly signed PUT with a 403 that carries no
          // CORS headers, so the browser reports a bare network error. Do not spend the
          // attempts on a dead URL: refresh it when it is due, or after two such failures.
          if (e.status === undefined && (!table.urlIsFresh(n, Date.now()) || ++opaqueInARow >= 2)) {
            opaqueInARow = 0;
            services.urls.invalidate(n);
          }
          return false;
        },
        onWait: (waiting) => {
          deps.publisher.retrying += waiting ? 1 : -1;
          deps.publisher.dirty();
        },
      },
    );
    progress.confirm(n, length);
    deps.limiter.partStored(length, Date.now());
    table.tokens[n] = etag;
    table.set(n, PartState.uploaded);
    deps.publisher.dirty(true);
    deps.records?.setToken(ctx.key, n, etag);
    services.checkpointer.add(n);
    deps.options.onPartComplete?.({ partNumber: n, etag, length });
  } catch (e) {
    signal.throwIfAborted();
    throw isFilesApiError(e) ? e : toUploadError(e);
  }
}

/** A network error may really be the file vanishing or changing: read one byte to tell. */
async function assertReadable(
  file: File,
  name: string,
  offset: number,
  length: number,
): Promise<void> {
  try {
    await file.slice(offset, offset + Math.min(1, length)).arrayBuffer();
  } catch (e) {
    throw new UploadError(
      'file_unreadable',
      `"${name}" can no longer be read (${e instanceof Error ? e.name : 'error'}); it was moved, deleted or changed.`,
      { cause: e },
    );
  }
}
