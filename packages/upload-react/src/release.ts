import type { UploadController, UploadQueue, UploadStatus } from '@atai-upload/engine';

/** Statuses that end on their own soon and must not be cut short (complete or abort in flight). */
const FINISHING: ReadonlySet<UploadStatus> = new Set(['completing', 'aborting']);
/** Statuses with nothing running: disposing loses nothing. */
const AT_REST: ReadonlySet<UploadStatus> = new Set(['idle', 'completed', 'failed', 'aborted']);

/**
 * Lets go of a controller whose component unmounted.
 *
 * Default: pause (finished parts and the resume record survive, so picking the same
 * file again resumes) and dispose, which drops the `online`/`offline` listeners: an
 * upload nobody shows must not restart by itself. An upload that is completing or
 * aborting is left to finish first, because cutting a `complete` call short leaves
 * the server and the resume record disagreeing for no benefit.
 *
 * With `keepUploading`, the upload runs on and is disposed once it settles.
 *
 * @internal
 */
export function releaseController(controller: UploadController, keepUploading: boolean): void {
  if (!keepUploading) controller.pause();
  const status = controller.getSnapshot().status;
  const letItFinish = FINISHING.has(status) || (keepUploading && !AT_REST.has(status));
  if (letItFinish) void controller.settled().then(() => controller.dispose());
  else controller.dispose();
}

/**
 * Lets go of every upload of a queue, as {@link releaseController} does for one.
 * Not `queue.dispose()`: that disposes at once, which would cut a `complete` short.
 *
 * @internal
 */
export function releaseQueue(queue: UploadQueue, keepUploading: boolean): void {
  for (const controller of queue.store.getState().uploads) {
    releaseController(controller, keepUploading);
  }
}
