import { defineConfig } from 'vitest/config';

// One run, several projects: unit tests against fakes, integration tests
// against the real emulator over HTTP, DOM tests of the React layer, and
// end-to-end tests of the demo app in Debian's Chromium.
// Workspace packages resolve to their TypeScript source through the `source`
// export condition, so tests never need a build. Node-environment projects
// resolve through Vite's SSR settings, hence both.
const source = { conditions: ['source', 'module', 'browser', 'development|production'] };
const ssrSource = { resolve: { conditions: ['source', 'module', 'node', 'development|production'] } };

export default defineConfig({
  resolve: source,
  test: {
    projects: [
      {
        resolve: source,
        ssr: ssrSource,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['packages/*/test/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
        },
      },
      {
        resolve: source,
        ssr: ssrSource,
        test: {
          name: 'integration',
          environment: 'node',
          include: ['packages/*/test/**/*.int.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: source,
        ssr: ssrSource,
        test: {
          name: 'dom',
          environment: 'happy-dom',
          include: ['packages/*/test/**/*.test.tsx'],
          exclude: ['**/*.int.test.tsx', '**/node_modules/**'],
        },
      },
      {
        resolve: source,
        ssr: ssrSource,
        test: {
          name: 'integration-dom',
          environment: 'happy-dom',
          include: ['packages/*/test/**/*.int.test.tsx'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
