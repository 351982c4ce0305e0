import { MutationObserver, type QueryClient } from '@tanstack/query-core';

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
 * Runs one API step as a TanStack mutation so it shows up in the app's
 * mutation cache and devtools. Retries are the engine's (they need fresh URLs
 * and `Retry-After`), so the mutation itself never retries, and it runs in
 * `networkMode: 'always'` because the engine handles offline itself.
 */
export function runMutation<TData, TVars>(
  client: QueryClient,
  kind: UploadMutationKind,
  localId: string,
  mutationFn: (vars: TVars) => Promise<TData>,
  vars: TVars,
  gcTime?: number,
): Promise<TData> {
  const observer = new MutationObserver<TData, unknown, TVars>(client, {
    mutationKey: [MUTATION_KEY_ROOT, kind, localId],
    mutationFn,
    retry: false,
    networkMode: 'always',
    ...(gcTime === undefined ? {} : { gcTime }),
  });
  return observer.mutate(vars);
}
