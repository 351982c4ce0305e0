import { useEffect, useRef } from 'react';
import { useLatest } from './use-latest.js';

/**
 * Calls `release(resource)` when the component really unmounts.
 *
 * React 19 StrictMode (and `<Activity>` toggles done in the same commit) run an
 * effect's cleanup and then the effect again on the same instance. Releasing
 * synchronously would pause a running upload on that simulated unmount, so the
 * release is deferred by one macrotask (`setTimeout(0)`) and cancelled when the
 * effect re-runs for the same resource.
 *
 * @internal
 */
export function useReleaseOnUnmount<R>(resource: R, release: (resource: R) => void): void {
  const latestRelease = useLatest(release);
  const pending = useRef<{ resource: R; timer: ReturnType<typeof setTimeout> }>(undefined);
  useEffect(() => {
    // Only a re-mount for the same resource cancels its release; an old resource still goes.
    if (pending.current?.resource === resource) clearTimeout(pending.current.timer);
    pending.current = undefined;
    return () => {
      const timer = setTimeout(() => {
        if (pending.current?.timer === timer) pending.current = undefined;
        latestRelease.current(resource);
      }, 0);
      pending.current = { resource, timer };
    };
  }, [resource, latestRelease]);
}
