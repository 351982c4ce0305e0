import { lazy, Suspense } from 'react';

/**
 * React Query Devtools, in development builds only. The demo runs every upload step
 * (initiate, part PUTs, checkpoints, URL refreshes, complete) as a mutation of its
 * `QueryClient`, keyed `['atai-upload', kind, localId]`; the devtools' Mutations view
 * shows them going by.
 *
 * `import.meta.env.DEV` is replaced by `false` in a production build, so the branch with
 * the dynamic import is dead code there and Rollup emits no devtools chunk at all (checked
 * by e2e/devtools.e2e.test.ts, which greps the production bundle). In development the
 * devtools load on their own, after the app, so they never hold up its first paint.
 */
const LazyDevtools = import.meta.env.DEV
  ? lazy(() =>
      // The `production` entry is the devtools themselves; the main entry renders nothing
      // unless NODE_ENV is 'development', which a dev server started by a test runner (NODE_ENV
      // 'test') is not. Which build shows them is decided here, by Vite's DEV flag, alone.
      import('@tanstack/react-query-devtools/production').then((m) => ({
        default: m.ReactQueryDevtools,
      })),
    )
  : null;

export function QueryDevtools() {
  if (!LazyDevtools) return null;
  return (
    <Suspense fallback={null}>
      <LazyDevtools initialIsOpen={false} buttonPosition="bottom-left" />
    </Suspense>
  );
}

/**
 * Settled mutations stay this long in development, so a checkpoint or a part PUT is still
 * in the devtools' list when a person looks (the engine's own defaults drop the floods 10 ms
 * after they settle, to keep the heap flat at 32,000 parts; an app's default wins, see the
 * engine's `SETTLED_MUTATION_GC_MS`). Production keeps the engine's defaults.
 */
export const DEV_MUTATION_GC_MS = 10_000;
