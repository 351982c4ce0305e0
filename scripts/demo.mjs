#!/usr/bin/env node
// `npm run demo`: installs the workspace if needed, starts the Files API emulator
// and the demo app's dev server pointed at it, and stops both on Ctrl-C.
//   npm run demo                 # emulator on :4600/:4601, demo on :5173
//   npm run demo -- --chaos      # with fault injection on from the start
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ensureInstalled, pnpmCommand } from './workspace.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
ensureInstalled(root);

const apiKey = process.env.VITE_API_KEY ?? 'local-dev-key';
const emulatorArgs = ['--data-dir', join(root, '.emulator-data'), '--api-key', apiKey];
if (process.argv.includes('--chaos'))
  emulatorArgs.push('--faults', join(root, 'apps/demo/chaos-faults.json'));

const children = [];
const stop = (code = 0) => {
  for (const c of children) c.kill('SIGTERM');
  process.exit(code);
};
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

const emulator = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--conditions=source',
    join(root, 'packages/emulator/src/cli.ts'),
    ...emulatorArgs,
  ],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
);
children.push(emulator);
emulator.on('exit', (code) => {
  console.error(`emulator exited (${code})`);
  stop(code ?? 1);
});

const firstLine = await new Promise((resolve) =>
  createInterface({ input: emulator.stdout }).once('line', resolve),
);
const { api, storage } = JSON.parse(firstLine);
console.log(`Files API emulator: ${api} (storage ${storage}), API key "${apiKey}"`);

const [cmd, ...pre] = pnpmCommand();
const vite = spawn(
  cmd,
  [...pre, '--dir', join(root, 'apps/demo'), 'exec', 'vite', '--host', '127.0.0.1'],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, VITE_API_BASE_URL: api, VITE_API_KEY: apiKey },
  },
);
children.push(vite);
vite.on('exit', (code) => stop(code ?? 0));
