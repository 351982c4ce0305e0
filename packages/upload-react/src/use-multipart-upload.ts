import {
  createUploadController,
  type UploadActions,
  type UploadController,
  type UploadOptions,
  type UploadQueue,
  type UploadSnapshot,
} from '@atai-upload/engine';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { forwardCallbacks } from './callbacks.js';
import { releaseController } from './release.js';
import { useLatest } from './use-latest.js';
import { useReleaseOnUnmount } from './use-release-on-unmount.js';

/**
 * Options of {@link useMultipartUpload}: the engine's {@link UploadOptions} without
 * `queryClient` (the hook takes the app's client from `QueryClientProvider`), plus
 * what only a component needs.
 *
 * The controller is created once per component instance, so options are read on the
 * first render, except the `on…` callbacks and `keepUploadingOnUnmount`, which are
 * always read from the latest render. To change `api`, `concurrency` or the like,
 * remount the component (give it a new `key`).
 */
export interface UseMultipartUploadOptions extends Omit<UploadOptions, 'queryClient'> {
  /**
   * Keep uploading after the component unmounts. Default `false`: on unmount the upload
   * is paused and the controller disposed; its resume record survives, so choosing the
   * same file again later resumes where it stopped. With `true` the upload runs on (keep
   * `controller` somewhere to follow it) and the controller is disposed once it settles.
   */
  keepUploadingOnUnmount?: boolean;
  /**
   * Join this queue's global concurrency budget: the controller uses `queue.limiter`
   * (this wins over `limiter` and `concurrency`). The upload is not listed in
   * `queue.store`, whose list holds only uploads added with `queue.add`.
   */
  queue?: UploadQueue;
}

/** What {@link useMultipartUpload} returns: the engine's {@link UploadActions} (each keeps its
 * identity for the life of the component), the selected state, and the controller. */
export interface UseMultipartUploadResult<T> extends UploadActions {
  /** The selected slice of the upload's {@link UploadSnapshot} (the whole snapshot without a selector). */
  state: T;
  /**
   * One byte per part (`PartState` codes), read from the controller on access. It changes
   * in place: select `partsVersion` to re-render when parts change.
   */
  readonly partStates: Uint8Array;
  /** The engine controller, for `useUploadSelector` in child components or `settled()`. */
  controller: UploadController;
}

function toEngineOptions(
  options: UseMultipartUploadOptions,
  latest: { readonly current: UseMultipartUploadOptions },
  queryClient: UploadOptions['queryClient'],
): UploadOptions {
  const { keepUploadingOnUnmount: _keep, queue, ...engine } = options;
  return {
    ...engine,
    ...forwardCallbacks(latest),
    queryClient,
    ...(queue ? { limiter: queue.limiter } : {}),
  };
}

const selectAll = (s: UploadSnapshot): UploadSnapshot => s;

/**
 * Uploads one file at a time through the multipart flow, with state in React.
 *
 * Needs a `QueryClientProvider` above it: every API step runs as a mutation of the
 * app's `QueryClient`, so uploads show up in its mutation cache and devtools.
 *
 * `state` is `useStore(controller.store, selector)`: the component re-renders only when
 * the selected value changes (`Object.is`), so selecting `s.status` ignores progress
 * ticks. A selector that builds a new object or array must be wrapped in zustand's
 * `useShallow`, or every store update re-renders (and React warns about it):
 *
 * ```tsx
 * const { state } = useMultipartUpload({ api }, useShallow((s) => ({ status: s.status, error: s.error })));
 * ```
 *
 * Lifetime: the controller is created once per component instance, and React 19
 * StrictMode's double render and double effects start nothing twice. On unmount, unless
 * `keepUploadingOnUnmount`, the upload is paused and the controller disposed, one
 * macrotask later so StrictMode's simulated unmount does not pause a running upload. The
 * resume record survives, so choosing the same file later resumes.
 *
 * @param options - Engine options (only `api` is required) and hook options.
 * @param selector - Picks what this component renders from the snapshot.
 */
export function useMultipartUpload(
  options: UseMultipartUploadOptions,
): UseMultipartUploadResult<UploadSnapshot>;
export function useMultipartUpload<T>(
  options: UseMultipartUploadOptions,
  selector: (snapshot: UploadSnapshot) => T,
): UseMultipartUploadResult<T>;
export function useMultipartUpload<T>(
  options: UseMultipartUploadOptions,
  selector?: (snapshot: UploadSnapshot) => T,
): UseMultipartUploadResult<T | UploadSnapshot> {
  const queryClient = useQueryClient();
  const latest = useLatest(options);
  // Lazy state: StrictMode may call this twice and drop one controller, which is harmless
  // because a controller attaches listeners and workers only on its first start.
  const [controller] = useState(() =>
    createUploadController(toEngineOptions(options, latest, queryClient)),
  );
  useReleaseOnUnmount(controller, (c) =>
    releaseController(c, latest.current.keepUploadingOnUnmount === true),
  );
  const pick: (snapshot: UploadSnapshot) => T | UploadSnapshot = selector ?? selectAll;
  const state = useStore(controller.store, pick);
  const actions = useMemo<UploadActions>(
    () => ({
      start: (file, startOptions) => controller.start(file, startOptions),
      pause: () => controller.pause(),
      resume: () => controller.resume(),
      cancel: () => controller.cancel(),
      retry: () => controller.retry(),
      startOver: () => controller.startOver(),
      reset: () => controller.reset(),
    }),
    [controller],
  );
  return {
    ...actions,
    state,
    controller,
    get partStates() {
      return controller.partStates;
    },
  };
}
