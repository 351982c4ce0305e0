import type { RunServices, UploadContext, UploadEvent } from '../context.js';
import { toUploadError, UploadError } from '../errors.js';
import { hashMissingParts } from '../part-hashing.js';
import { PartState } from '../part-state.js';
import { UrlRefresher } from '../url-refresher.js';
import { checkpointHeld, createCheckpointer, heldTokens } from './checkpoints.js';
import type { EffectDeps } from './deps.js';
import { putPart } from './put-part.js';

/**
 * `uploading`: starts the run's services (checkpointer, URL refresher), checkpoints tokens
 * held from before, starts hashing parts alongside, then sends every part still needed
 * through the shared concurrency limiter. Ends with `ALL_PARTS_UPLOADED`.
 */
export async function pumpParts(
  ctx: UploadContext,
  deps: EffectDeps,
  signal: AbortSignal,
): Promise<UploadEvent> {
  const table = ctx.table!;
  const snap = deps.snapshot();
  const uploadId = snap.uploadId!;
  const { api } = deps;
  const services: RunServices = {
    checkpointer: createCheckpointer(ctx, deps, uploadId, signal),
    urls: new UrlRefresher({
      table,
      marginMs: deps.settings.urlRefreshMarginMs,
      batchLimit: () => Math.max(8, deps.limiter.limit * 2),
      request: async (numbers, sig) =>
        (
          await deps.call(
            'refreshUrls',
            () => api.refreshPartUrls(uploadId, numbers, { signal: sig }),
            sig,
          )
        ).parts,
      onActivity: () => deps.publisher.dirty(),
    }),
    hashing: undefined,
  };
  ctx.services = services;

  const held = heldTokens(table);
  if (held.length > 0) await checkpointHeld(ctx, deps, uploadId, held, signal);
  ctx.progress.restartClock(Date.now());
  if (snap.checksum === 'computing' || snap.checksum === 'ready') {
    services.hashing = startHashing(ctx, deps, signal);
  }
  await sendAll(ctx, services, deps, signal);
  return { type: 'ALL_PARTS_UPLOADED' };
}

/**
 * Hashes parts in the background. An unreadable file stops the upload now, not at complete;
 * a checksum that cannot be computed stops it only with `integrity: 'required'`, otherwise
 * the upload goes on without one and says so.
 */
function startHashing(ctx: UploadContext, deps: EffectDeps, signal: AbortSignal): Promise<boolean> {
  const hashing = hashMissingParts(
    ctx.table!,
    ctx.file!,
    ctx.identity!.name,
    deps.hasher,
    signal,
    (parts, crc) => deps.records?.setCrcPrefix(ctx.key, parts, crc),
  ).then(
    () => {
      if (!signal.aborted && deps.snapshot().checksum === 'computing')
        deps.publisher.publish({ checksum: 'ready' });
      return true;
    },
    (e: unknown) => {
      const error = toUploadError(e);
      if (error.code !== 'checksum_unavailable' || deps.settings.integrity === 'required') {
        deps.raise({ type: 'FAIL', error, at: Date.now() }, signal);
        throw error;
      }
      if (!signal.aborted) {
        deps.warn(error.message, e);
        deps.publisher.publish({ checksum: 'unavailable' });
      }
      return false;
    },
  );
  // The failure is already dispatched; complete awaits this only if the upload got that far.
  hashing.catch(() => {});
  return hashing;
}

/**
 * One worker per slot of the limiter, each taking the lowest pending part; when the limit
 * grows mid-upload, more workers join. A failing part stops its siblings.
 */
async function sendAll(
  ctx: UploadContext,
  services: RunServices,
  deps: EffectDeps,
  signal: AbortSignal,
): Promise<void> {
  const table = ctx.table!;
  const phase = new AbortController();
  const onAbort = () => phase.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  let fatal: unknown;
  const worker = async () => {
    for (;;) {
      const release = await deps.limiter.acquire(phase.signal);
      try {
        const n = table.nextPending();
        if (n < 0) return;
        table.set(n, PartState.uploading);
        deps.publisher.dirty(true);
        try {
          await putPart(n, ctx, services, deps, phase.signal);
        } catch (e) {
          if (phase.signal.aborted) return;
          // Marked failed and the siblings stopped in one step, before the slot is released:
          // no sibling may pick the failed part up again in this run.
          table.set(n, PartState.failed);
          deps.publisher.dirty(true);
          fatal = e;
          phase.abort(e);
          return;
        }
      } finally {
        release();
      }
    }
  };
  const running: Promise<void>[] = [];
  const spawn = () => {
    const wanted = Math.min(deps.limiter.limit, table.numParts - table.done);
    // A worker rejects only when its wait for a slot is aborted: nothing to record.
    while (running.length < wanted) running.push(worker().catch(() => {}));
  };
  spawn();
  const unwatch = deps.limiter.onLimitChange(spawn);
  try {
    // Workers may be added while we wait: settle until the list stops growing.
    for (let seen = 0; seen < running.length; ) {
      seen = running.length;
      await Promise.all(running);
    }
  } finally {
    unwatch();
    signal.removeEventListener('abort', onAbort);
  }
  signal.throwIfAborted();
  if (fatal !== undefined) throw fatal;
  if (table.done !== table.numParts) {
    throw new UploadError(
      'network',
      `Only ${table.done} of ${table.numParts} parts were uploaded.`,
    );
  }
}
