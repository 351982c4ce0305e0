// Runs a command with a private temporary directory and removes it afterwards, whatever happens.
//
// Why: the test suites and benchmarks write large scratch data under os.tmpdir() — generated
// upload files of up to 1 GiB, the emulator's data directories holding every uploaded byte,
// demo builds, browser profiles. Cleaning each of those by hand in every test missed some and
// one full run left ~8 GB behind, which filled the disk after a few runs. Pointing TMPDIR (which
// Node's os.tmpdir(), Chromium, Firefox and WebKit all honour) at one folder per run and
// deleting that folder when the run ends catches all of it, including what a crashed test or
// browser leaves.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Creates the run's folder and the environment that routes every temporary file into it. */
export function makeRunTempDir(prefix = 'atai-run-', env = process.env) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    env: { ...env, TMPDIR: dir, TMP: dir, TEMP: dir },
    remove: () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 }),
  };
}

/**
 * Spawns `cmd args` with its own TMPDIR, forwards SIGINT/SIGTERM to it, and removes the folder
 * once the child has exited. Resolves to the child's exit status (1 when it died by a signal).
 */
export function runWithTempDir(cmd, args, options = {}) {
  const temp = makeRunTempDir(options.prefix, options.env);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: options.cwd, stdio: 'inherit', env: temp.env });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    const done = (status) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      temp.remove();
      resolve(status);
    };
    child.on('error', () => done(1));
    child.on('exit', (code) => done(code ?? 1));
  });
}

// `node scripts/temp-dir.mjs CMD ARGS…` (used by .ci/run for the benchmark smoke run).
if (import.meta.url === `file://${process.argv[1]}`) {
  const [cmd, ...args] = process.argv.slice(2);
  process.exit(await runWithTempDir(cmd, args));
}
