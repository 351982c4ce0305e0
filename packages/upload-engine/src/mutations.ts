import type { QueryClient } from '@tanstack/query-core';

/** Mutation keys start with this, so apps can filter the kit's mutations in devtools. */
export const MUTATION_KEY_ROOT = 'atai-upload';

export type UploadMutationKind =
  | 'initiate'
  | 'putPart'
  | 'checkpoint'
  | 'refreshUrls'
  | 'complete'
  | 'abort';

/**
 * How long a settled mutation stays in the cache (and the devtools), unless the app's
 * `QueryClient` sets its own default mutation `gcTime`. TanStack's own
 * garbage collection drops it then, so a 32,000-part upload does not pile up 32,000
 * part mutations; at 100 Mbit/s and 8 MiB parts that keeps about 45 of them.
 */
export const SETTLED_MUTATION_GC_MS = 30_000;

/** Runs one attempt of an API step as a mutation of the app's `QueryClient`. */
export type MutationRunner = <TData, TVars>(
  kind: UploadMutationKind,
  mutationFn: (vars: TVars) => Promise<TData>,
  vars: TVars,
) => Promise<TData>;

/**
 * Every attempt of every step is a mutation keyed `['atai-upload', kind, localId]`, so
 * apps see them in their mutation cache and devtools. Retries are the engine's own (see
 * `withRetry`), so a mutation never retries itself; `networkMode: 'always'` because the
 * engine pauses itself when offline, and a mutation paused by TanStack would hold a part
 * slot that the pause must free.
 */
export function createMutationRunner(client: QueryClient, localId: string): MutationRunner {
  const cache = client.getMutationCache();
  // An app that chose its own mutation gcTime keeps it.
  const gcTime = client.getDefaultOptions().mutations?.gcTime ?? SETTLED_MUTATION_GC_MS;
  return (kind, mutationFn, vars) =>
    cache
      .build(client, {
        mutationKey: [MUTATION_KEY_ROOT, kind, localId],
        mutationFn,
        retry: false,
        networkMode: 'always',
        gcTime,
      })
      .execute(vars);
}
