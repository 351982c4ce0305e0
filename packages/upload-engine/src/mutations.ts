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
 * `QueryClient` sets its own default mutation `gcTime`; TanStack's garbage collection then
 * drops it. Every kind shows in the devtools while in flight. The few small API steps stay
 * 30 s after. Part PUTs and checkpoints are floods (32,000 and 4,000 for 250 GB): they go
 * 10 ms after they settle, initiate after 1 s (its answer holds every part URL). Measured
 * with `bench engine` (32,000 parts through a fake transport in ~1.3 s, interleaved with the
 * previous engine): 30 s for everything took the heap from 24 to ~130 MiB, 100 ms for the
 * floods to ~30 MiB; 10 ms keeps it at 22-24 MiB, as before. A pending mutation re-arms its
 * timer, so an in-flight PUT wakes about 100 times a second: no measurable cost.
 */
export const SETTLED_MUTATION_GC_MS: Readonly<Record<UploadMutationKind, number>> = {
  initiate: 1_000,
  putPart: 10,
  checkpoint: 10,
  refreshUrls: 30_000,
  complete: 30_000,
  abort: 30_000,
};

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
  const appGcTime = client.getDefaultOptions().mutations?.gcTime;
  return (kind, mutationFn, vars) =>
    cache
      .build(client, {
        mutationKey: [MUTATION_KEY_ROOT, kind, localId],
        mutationFn,
        retry: false,
        networkMode: 'always',
        gcTime: appGcTime ?? SETTLED_MUTATION_GC_MS[kind],
      })
      .execute(vars);
}
