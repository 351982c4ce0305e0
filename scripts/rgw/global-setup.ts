import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

// The RGW pass's cluster: one throwaway Ceph (scripts/ceph-s3.sh) for every test file of the
// `integration-rgw` and `e2e-rgw` projects, on free loopback ports, its data under the run's
// TMPDIR, stopped when the run ends (failed runs and Ctrl-C included).
const SCRIPT = fileURLToPath(new URL('../ceph-s3.sh', import.meta.url));

declare module 'vitest' {
  export interface ProvidedContext {
    /** The `ATAI_*` variables that put the emulator on the cluster's bucket. */
    rgwEnv: Record<string, string>;
  }
}

/** A port nothing listens on right now (the script checks again before it binds). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** One cluster per run, shared by both projects (each loads this module on its own). */
interface Cluster {
  env: NodeJS.ProcessEnv;
  vars: Record<string, string>;
  users: number;
}
const shared = globalThis as { ataiRgwCluster?: Promise<Cluster> | undefined };

function stop(cluster: Cluster): void {
  spawnSync('bash', [SCRIPT, 'stop'], { env: cluster.env, stdio: 'inherit' });
}

/** One try at a cluster on fresh ports and a fresh directory. */
async function startOnce(): Promise<{ env: NodeJS.ProcessEnv; stdout: string } | Error> {
  const env = {
    ...process.env,
    CEPH_S3_DIR: join(mkdtempSync(join(tmpdir(), 'atai-rgw-')), 'ceph'),
    CEPH_S3_PORT: String(await freePort()),
    CEPH_S3_MON_PORT: String(await freePort()),
  };
  const run = spawnSync('bash', [SCRIPT, 'start'], { env, encoding: 'utf8' });
  if (run.status === 0) return { env, stdout: run.stdout };
  return new Error(
    `scripts/ceph-s3.sh start failed (${run.status ?? run.signal}):\n${`${run.stderr}`.trim()}`,
  );
}

async function start(): Promise<Cluster> {
  const started = Date.now();
  // A second try on new ports: a port taken between our probe and the daemon's bind, or a
  // daemon that fails once on a loaded machine, should not fail the whole run. The first
  // failure's report (which step, the daemons' logs) is printed either way.
  let up = await startOnce();
  if (up instanceof Error) {
    console.error(`rgw pass: ${up.message}\nrgw pass: trying once more on new ports`);
    up = await startOnce();
  }
  if (up instanceof Error) throw up;
  const { env, stdout } = up;
  console.log(`rgw pass: Ceph RGW up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const vars: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const m = /^(ATAI_[A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m?.[1] && m[2] !== undefined) vars[m[1]] = m[2];
  }
  const cluster: Cluster = { env, vars, users: 0 };
  // Should the run end without its teardown (a crash, Ctrl-C, a kill), the daemons still go.
  process.once('exit', () => stop(cluster));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      stop(cluster);
      process.exit(130);
    });
  }
  return cluster;
}

export default async function setup(project: TestProject): Promise<() => void> {
  shared.ataiRgwCluster ??= start();
  const cluster = await shared.ataiRgwCluster;
  cluster.users++;
  project.provide('rgwEnv', cluster.vars);
  return () => {
    cluster.users--;
    if (cluster.users === 0) {
      stop(cluster);
      shared.ataiRgwCluster = undefined;
    }
  };
}
