import { hasTag, type UploadController, type UploadQueue } from '@atai-upload/engine';

/**
 * Lets go of a controller whose component unmounted.
 *
 * Default: pause (which also sends the checkpoints held, and keeps the resume record, so
 * picking the same file again resumes) and dispose, which drops the `online`/`offline`
 * listeners: an upload nobody shows must not restart by itself. The engine's `dispose`
 * lets an upload that is completing or aborting finish first.
 *
 * With `keepUploading`, the upload runs on and is disposed once it settles.
 *
 * @internal
 */
export function releaseController(controller: UploadController, keepUploading: boolean): void {
  // `resting`: nothing runs, so disposing loses nothing.
  if (keepUploading && !hasTag(controller.getSnapshot().status, 'resting')) {
    void controller.settled().then(() => controller.dispose());
    return;
  }
  controller.pause();
  controller.dispose();
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
