import { isFilesApiError } from '@atai-upload/api-client';
import { isOffline } from './connectivity.js';
import { backoffDelay, type RetryPolicy, sleep } from './timing.js';

/** What a caller of {@link withRetry} may add to the one retry rule. */
export interface RetryHooks {
  /**
   * Sees each failure before the retry decision. It may throw a better error (a file that
   * vanished), or answer `true` for one immediate retry that does not count as an attempt
   * (a URL that expired between the check and the PUT).
   */
  onFailure?(error: unknown): Promise<boolean | undefined> | boolean | undefined;
  /** A backoff wait started (`true`) or ended (`false`). */
  onWait?(waiting: boolean): void;
}

/**
 * The engine's one retry path, for part PUTs and API calls alike: transient errors
 * (network, 408, 429, 500/502/503/504) back off exponentially with full jitter, never
 * sooner than `Retry-After`, up to `policy.maxAttempts` attempts; anything else is thrown
 * at once. A transport error while the browser is offline is thrown too, so the upload
 * pauses until the network is back instead of burning attempts.
 *
 * Why not TanStack Query's own mutation `retry`/`retryDelay`: its retryer waits with
 * `focusManager` as well as `onlineManager`, so a failed attempt in a hidden tab would
 * not be retried until the tab is shown again, and a 6-hour upload lives in a background
 * tab. Its backoff sleep also cannot be cut short, so pause and cancel would wait out up
 * to `maxDelayMs`. Each attempt still runs as its own mutation, visible in the devtools.
 */
export async function withRetry<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
  hooks: RetryHooks = {},
): Promise<T> {
  for (let failures = 0; ; ) {
    try {
      return await attempt();
    } catch (e) {
      signal?.throwIfAborted();
      if ((await hooks.onFailure?.(e)) === true) continue;
      if (!isFilesApiError(e) || !e.retryable || ++failures >= policy.maxAttempts) throw e;
      if ((e.code === 'network' || e.code === 'timeout') && isOffline()) throw e;
      hooks.onWait?.(true);
      try {
        await sleep(backoffDelay(failures, policy, e.retryAfterMs), signal);
      } finally {
        hooks.onWait?.(false);
      }
    }
  }
}
