#!/usr/bin/env node
// `npm test`: installs the workspace if needed, makes sure the browsers the chosen projects
// drive are there (scripts/browsers.mjs: installed from Debian when it can, else it stops with
// the command to run), runs every vitest project once, and ends with one plain line
// "N passed, N failed" summed over all suites. Everything the run writes to the temporary
// directory goes into one private folder that is removed at the end (scripts/temp-dir.mjs).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { enginesFor, ensureBrowsers } from './browsers.mjs';
import { runWithTempDir } from './temp-dir.mjs';
import { ensureInstalled, pnpmCommand } from './workspace.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
ensureInstalled(root);
ensureBrowsers(enginesFor(process.argv.slice(2)));

const out = join(root, 'test-output');
mkdirSync(out, { recursive: true });
const report = join(out, 'vitest-report.json');
const [cmd, ...pre] = pnpmCommand();
const status = await runWithTempDir(
  cmd,
  [
    ...pre,
    'exec',
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...process.argv.slice(2),
  ],
  { cwd: root, prefix: 'atai-test-run-' },
);

let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests ?? 0;
  failed = (json.numFailedTests ?? 0) + (json.numRuntimeErrorTestSuites ?? 0);
} else {
  failed = 1;
}
if (status !== 0 && failed === 0) failed = 1; // a crash outside any test still fails the run
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || status !== 0 ? 1 : 0);
