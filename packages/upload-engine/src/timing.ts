/** Retry policy for transient failures (network, 408, 429, 500/502/503/504). */
export interface RetryPolicy {
  /** Attempts per part (and per API call) before the upload fails. Default 6. */
  maxAttempts: number;
  /** First backoff ceiling in ms; doubles per attempt. Default 500. */
  baseDelayMs: number;
  /** Largest backoff ceiling in ms. Default 30 000. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * Exponential backoff with full jitter (a uniformly random wait up to the
 * doubled ceiling), so that many parts failing together do not retry in lock
 * step; never shorter than the server's `Retry-After`.
 */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = random() * ceiling;
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** A `setTimeout` that rejects with the signal's reason when aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
