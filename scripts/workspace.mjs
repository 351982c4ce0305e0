// Shared by the root scripts: find pnpm (or run it through npx) and install the
// workspace on a fresh machine, so `npm run demo` and `npm test` need only Node.
import { spawnSync } from 'node:child_process';

const PNPM = 'pnpm@10.34.9';

/** The command prefix that runs pnpm here. */
export function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { stdio: 'ignore' });
  return probe.status === 0 ? ['pnpm'] : ['npx', '--yes', PNPM];
}

/** Runs `pnpm install --frozen-lockfile`: a second or so when already up to date. */
export function ensureInstalled(root) {
  const [cmd, ...pre] = pnpmCommand();
  const res = spawnSync(cmd, [...pre, 'install', '--frozen-lockfile'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (res.status !== 0) {
    console.error('pnpm install failed');
    process.exit(res.status ?? 1);
  }
}
