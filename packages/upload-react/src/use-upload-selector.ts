import type { UploadController, UploadSnapshot } from '@atai-upload/engine';
import { useStore } from 'zustand';

/**
 * Subscribes a component to a slice of one upload, e.g. a progress bar under a panel
 * whose owner selects only `status`. Re-renders only when the slice changes
 * (`Object.is`); wrap selectors that return new objects in zustand's `useShallow`.
 *
 * @param controller - The upload, from `useMultipartUpload().controller` or `useUploadQueue().uploads`.
 * @param selector - Picks the slice, e.g. `(s) => s.progress.fraction`.
 */
export function useUploadSelector<T>(
  controller: UploadController,
  selector: (snapshot: UploadSnapshot) => T,
): T {
  return useStore(controller.store, selector);
}
