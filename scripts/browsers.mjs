#!/usr/bin/env node
// The browsers the tests drive, installed from Debian when missing: shared by `npm test`
// (scripts/run-tests.mjs, for the projects it is about to run) and by .ci/run, so CI walks
// the README's path. `node scripts/browsers.mjs [chromium|firefox|webkit ...]` (default: all).
//
// When a browser is missing and this process can install it (root, with apt-get), it does,
// once, and says so; otherwise it stops at once with the exact command to run, instead of
// letting dozens of browser tests fail one by one.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** @typedef {'chromium' | 'firefox' | 'webkit'} Engine */

/** What each engine needs on disk and its Debian packages (also read by @atai-upload/test-support). */
export const BROWSERS = JSON.parse(
  readFileSync(join(root, 'packages', 'test-support', 'browsers.json'), 'utf8'),
);

/** @type {Engine[]} */
export const ALL_ENGINES = ['chromium', 'firefox', 'webkit'];

/** The engines each vitest project drives; projects not listed need none. */
const PROJECT_ENGINES = {
  integration: ['chromium'], // the client's CORS/ETag and CSP checks
  storybook: ['chromium'],
  e2e: ALL_ENGINES,
};

/**
 * The engines a vitest command line needs: those of its `--project` filters, or every
 * engine when it names no project (then every project runs).
 * @param {readonly string[]} argv
 * @returns {Engine[]}
 */
export function enginesFor(argv) {
  const projects = [];
  argv.forEach((arg, i) => {
    if (arg === '--project' && argv[i + 1]) projects.push(argv[i + 1]);
    else if (arg.startsWith('--project=')) projects.push(arg.slice('--project='.length));
  });
  if (projects.length === 0) return [...ALL_ENGINES];
  const wanted = new Set(projects.flatMap((p) => PROJECT_ENGINES[p] ?? []));
  return ALL_ENGINES.filter((e) => wanted.has(e));
}

/**
 * The engines of `engines` with a file missing. CHROMIUM_PATH stands in for Debian's
 * Chromium, as it does in @atai-upload/test-support.
 * @param {readonly Engine[]} engines
 * @param {(path: string) => boolean} exists
 * @param {NodeJS.ProcessEnv} env
 * @returns {Engine[]}
 */
export function missingEngines(engines, exists = existsSync, env = process.env) {
  return engines.filter((engine) => {
    const files =
      engine === 'chromium' && env.CHROMIUM_PATH ? [env.CHROMIUM_PATH] : BROWSERS[engine].files;
    return !files.every((f) => exists(f));
  });
}

/**
 * What to do about missing engines: nothing, install their packages, or stop with the command.
 * @param {readonly Engine[]} missing
 * @param {{ root: boolean; apt: boolean }} can
 */
export function setupPlan(missing, can) {
  const packages = [...new Set(missing.flatMap((e) => BROWSERS[e].apt))];
  const command = `apt-get install -y --no-install-recommends ${packages.join(' ')}`;
  if (missing.length === 0) return { action: 'none', packages, command };
  return { action: can.root && can.apt ? 'install' : 'stop', packages, command };
}

function run(cmd, args) {
  const res = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return res.status === 0;
}

/**
 * Makes sure `engines` are installed, installing them through apt when it can, or exits
 * the process with the command to run.
 * @param {readonly Engine[]} engines
 */
export function ensureBrowsers(engines) {
  const missing = missingEngines(engines);
  const plan = setupPlan(missing, {
    root: process.getuid?.() === 0,
    apt: spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0,
  });
  if (plan.action === 'none') return;
  const names = missing.map((e) => BROWSERS[e].label).join(', ');
  if (plan.action === 'stop') {
    console.error(
      `The browser tests need ${names}, which ${missing.length === 1 ? 'is' : 'are'} not installed.\n` +
        `Install ${missing.length === 1 ? 'it' : 'them'} from Debian, then run the tests again:\n\n` +
        `  sudo apt-get update && sudo ${plan.command}\n`,
    );
    process.exit(1);
  }
  console.log(
    `browsers: ${names} missing; installing ${plan.packages.join(' ')} from Debian (once)`,
  );
  const ok = run('apt-get', ['update', '-qq']) && run('apt-get', plan.command.split(' ').slice(1));
  const still = missingEngines(engines);
  if (!ok || still.length > 0) {
    console.error(`browsers: installing ${plan.packages.join(' ')} failed; run: ${plan.command}`);
    process.exit(1);
  }
  console.log(`browsers: ${names} installed`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((e) => !ALL_ENGINES.includes(e));
  if (unknown.length > 0) {
    console.error(`unknown engine(s): ${unknown.join(', ')} (known: ${ALL_ENGINES.join(', ')})`);
    process.exit(2);
  }
  ensureBrowsers(asked.length > 0 ? asked : ALL_ENGINES);
}
