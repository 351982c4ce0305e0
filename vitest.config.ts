import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// One run, several projects: unit tests against fakes, integration tests
// against the real emulator over HTTP, DOM tests of the React layer (on React 19
// and again on React 18), and end-to-end tests of the demo app in Chromium,
// Firefox and WebKit.
const source = { conditions: ['source'] };
// Node-environment tests resolve through the SSR environment, which ignores `resolve.conditions`.
// Without Vite's 'module' condition: packages such as the AWS SDK (the emulator's S3 storage)
// point 'module' at bundler-only ESM with extension-less imports, which Node cannot load.
const ssr = {
  resolve: {
    conditions: ['source', ...defaultServerConditions.filter((c) => c !== 'module')],
  },
};
const root = path.dirname(fileURLToPath(import.meta.url));

// React 18 for the `dom-react18` project: every import that reaches React resolves from
// packages/react18, whose React libraries pnpm links against React 18, so no React 19 copy
// is loaded beside it. The versions test checks which React each project really ran.
const fromReact18 = createRequire(path.join(root, 'packages/react18/package.json'));
const REACT_IMPORTS = [
  'react',
  'react/jsx-runtime',
  'react/jsx-dev-runtime',
  'react-dom',
  'react-dom/client',
  'react-dom/test-utils',
  '@testing-library/react',
  '@tanstack/react-query',
  'zustand',
  'zustand/react/shallow',
];
const onReact18 = REACT_IMPORTS.map((id) => ({
  find: new RegExp(`^${id.replace(/[/.]/g, '\\$&')}$`),
  replacement: fromReact18.resolve(id),
}));
const domTests = {
  environment: 'happy-dom',
  include: ['packages/*/test/**/*.test.tsx'],
  exclude: ['**/*.int.test.tsx', '**/node_modules/**'],
} as const;

// Debian's Chromium, never a downloaded browser build, with the project's one list of flags.
const browsers = JSON.parse(
  readFileSync(path.join(root, 'packages/test-support/browsers.json'), 'utf8'),
) as { chromium: { files: string[]; flags: string[] } };
const chromium = playwright({
  launchOptions: { executablePath: browsers.chromium.files[0], args: browsers.chromium.flags },
});

// The RGW pass: the integration suite and the demo's bucket scenarios (Chromium) run a second
// time with the emulator storing on a throwaway Ceph RGW (scripts/ceph-s3.sh, started once by
// scripts/rgw/global-setup.ts). Without Ceph's binaries it is left out with a message, except
// in CI (CI=true), where a missing Ceph must fail the run rather than pass it silently.
const CEPH_BINARIES = ['ceph-mon', 'ceph-osd', 'radosgw', 'radosgw-admin', 'ceph'];
const missingCeph = CEPH_BINARIES.filter(
  (bin) => spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status !== 0,
);
const inCi = process.env.CI === 'true';
if (missingCeph.length > 0 && inCi) {
  throw new Error(
    `CI=true and Ceph is missing (${missingCeph.join(', ')}): the RGW pass cannot run. ` +
      'Install it: apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common',
  );
}
if (missingCeph.length > 0) {
  console.log(
    `rgw pass skipped: no ${missingCeph.join(', ')} on this machine ` +
      '(apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common runs it)',
  );
}
const rgw = {
  globalSetup: [path.join(root, 'scripts/rgw/global-setup.ts')],
  setupFiles: [path.join(root, 'scripts/rgw/setup-env.ts')],
};
const rgwProjects =
  missingCeph.length > 0
    ? []
    : [
        {
          resolve: source,
          ssr,
          test: {
            name: 'integration-rgw',
            environment: 'node',
            include: ['packages/*/test/**/*.int.test.ts'],
            // These test the emulator's own storage origin (its CORS answers, the faults it
            // injects into part PUTs, its streaming to disk, its PUT counters): with a bucket,
            // the bucket answers part PUTs. The emulator README lists what a bucket cannot
            // emulate. The engine's file heals injected part faults and counts PUTs in 3 of
            // its 8 tests; the engine meets the bucket in the e2e-rgw scenarios instead.
            exclude: [
              '**/node_modules/**',
              'packages/emulator/test/storage.int.test.ts',
              'packages/emulator/test/faults.int.test.ts',
              'packages/emulator/test/stale-links.int.test.ts',
              'packages/emulator/test/memory.int.test.ts',
              'packages/api-client/test/cors.int.test.ts',
              'packages/upload-engine/test/engine.int.test.ts',
            ],
            testTimeout: 120_000,
            hookTimeout: 60_000,
            ...rgw,
          },
        },
        {
          resolve: source,
          ssr,
          test: {
            name: 'e2e-rgw',
            environment: 'node',
            include: ['apps/*/e2e/**/*.rgw.test.ts'],
            testTimeout: 300_000,
            hookTimeout: 120_000,
            fileParallelism: false,
            ...rgw,
          },
        },
      ];

export default defineConfig({
  resolve: source,
  ssr,
  test: {
    projects: [
      {
        resolve: source,
        ssr,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['packages/*/test/**/*.test.ts', 'scripts/test/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
        },
      },
      {
        resolve: source,
        ssr,
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
        ssr,
        test: { name: 'dom', ...domTests, env: { EXPECTED_REACT_MAJOR: '19' } },
      },
      {
        resolve: { ...source, alias: onReact18 },
        ssr,
        test: { name: 'dom-react18', ...domTests, env: { EXPECTED_REACT_MAJOR: '18' } },
      },
      {
        resolve: source,
        ssr,
        test: {
          name: 'integration-dom',
          environment: 'happy-dom',
          include: ['packages/*/test/**/*.int.test.tsx'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: source,
        ssr,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['apps/*/e2e/**/*.e2e.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 120_000,
          // One browser test file at a time: they share two cores with Chromium and the emulator.
          fileParallelism: false,
        },
      },
      ...rgwProjects,
      {
        // Every story is a test: it renders, runs its play function, then axe
        // (`parameters.a11y.test = 'error'` in .storybook/preview.tsx fails on any violation).
        plugins: [storybookTest({ configDir: path.join(root, '.storybook') })],
        resolve: { conditions: ['source', ...defaultClientConditions] },
        optimizeDeps: {
          include: [
            'react',
            'react-dom',
            'react-dom/client',
            'react/jsx-runtime',
            'react/jsx-dev-runtime',
          ],
        },
        test: {
          name: 'storybook',
          browser: {
            enabled: true,
            headless: true,
            provider: chromium,
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
