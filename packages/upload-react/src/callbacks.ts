import type { UploadOptions } from '@atai-upload/engine';

/** The event callbacks of {@link UploadOptions}. */
export type UploadCallbacks = Pick<
  UploadOptions,
  | 'onProgress'
  | 'onPartComplete'
  | 'onStatusChange'
  | 'onSuccess'
  | 'onError'
  | 'onAuthRequired'
  | 'onWarning'
>;

/**
 * Callbacks for the engine that forward to whatever `latest.current` holds at call time,
 * so passing new inline callbacks on every render never recreates the controller.
 *
 * @internal
 */
export function forwardCallbacks(latest: {
  readonly current: UploadCallbacks;
}): Required<UploadCallbacks> {
  return {
    onProgress: (progress) => latest.current.onProgress?.(progress),
    onPartComplete: (part) => latest.current.onPartComplete?.(part),
    onStatusChange: (snapshot) => latest.current.onStatusChange?.(snapshot),
    onSuccess: (snapshot) => latest.current.onSuccess?.(snapshot),
    onError: (error, snapshot) => latest.current.onError?.(error, snapshot),
    onAuthRequired: (error, snapshot) => latest.current.onAuthRequired?.(error, snapshot),
    onWarning: (message, cause) => latest.current.onWarning?.(message, cause),
  };
}
