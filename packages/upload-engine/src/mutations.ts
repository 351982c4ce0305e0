import type { Mutation, QueryClient } from '@tanstack/query-core';

/** Mutation keys start with this, so apps can filter the kit's mutations in devtools. */
export const MUTATION_KEY_ROOT = 'atai-upload';

export type UploadMutationKind =
  | 'initiate'
  | 'putPart'
  | 'checkpoint'
  | 'refreshUrls'
  | 'complete'
  | 'abort';

/** How many settled mutations of one kind an upload leaves in the cache (older ones are removed). */
const RETAINED_PER_KIND = 64;

/**
 * Runs API steps as TanStack mutations so they show up in the app's mutation
 * cache and devtools. Retries are the engine's (they need fresh URLs and
 * `Retry-After`), so a mutation never retries itself, and it runs in
 * `networkMode: 'always'` because the engine handles offline itself.
 *
 * A 32,000-part upload would otherwise leave 32,000 part mutations in the cache
 * until their gcTime passes; only the latest {@link RETAINED_PER_KIND} settled
 * ones of each kind are kept, so memory stays flat however long the upload.
 */
export class MutationRunner {
  readonly #client: QueryClient;
  readonly #localId: string;
  readonly #recent = new Map<UploadMutationKind, Mutation<unknown, unknown, unknown, unknown>[]>();

  constructor(client: QueryClient, localId: string) {
    this.#client = client;
    this.#localId = localId;
  }

  run<TData, TVars>(
    kind: UploadMutationKind,
    mutationFn: (vars: TVars) => Promise<TData>,
    vars: TVars,
  ): Promise<TData> {
    const cache = this.#client.getMutationCache();
    const mutation = cache.build<TData, unknown, TVars, unknown>(this.#client, {
      mutationKey: [MUTATION_KEY_ROOT, kind, this.#localId],
      mutationFn,
      retry: false,
      networkMode: 'always',
    });
    const recent = this.#recent.get(kind) ?? [];
    this.#recent.set(kind, recent);
    recent.push(mutation as Mutation<unknown, unknown, unknown, unknown>);
    if (recent.length > RETAINED_PER_KIND * 2) {
      // Drop the oldest settled ones in one sweep (amortised O(1) per mutation).
      const keep: typeof recent = [];
      const excess = recent.length - RETAINED_PER_KIND;
      recent.forEach((m, i) => {
        if (i < excess && m.state.status !== 'pending') cache.remove(m);
        else keep.push(m);
      });
      this.#recent.set(kind, keep);
    }
    return mutation.execute(vars);
  }
}
