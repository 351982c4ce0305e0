import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// scripts/ceph-s3.sh's failure reports, against stand-in Ceph binaries (the real cluster is the
// RGW pass's business). A CI run once failed with "start failed (250)" and nothing else: radosgw
// writes its messages to stdout and the OSD's stderr went to /dev/null. A failed start must name
// the step, show the daemons' own words, and leave no daemon behind.
const SCRIPT = fileURLToPath(new URL('../ceph-s3.sh', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'atai-ceph-s3-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A long-lived stand-in daemon: a `sleep` whose pid goes where Ceph would write its own. */
const daemon = (name: string) => `
  case " $* " in *" --mkfs "*) exit 0 ;; esac
  sleep 60 >/dev/null 2>&1 &
  echo $! > "$CEPH_S3_DIR/run/${name}.pid"
`;

function stubs(overrides: Record<string, string>): string {
  const bin = mkdtempSync(join(root, 'bin-'));
  const scripts: Record<string, string> = {
    'ceph-mon': daemon('mon.a'),
    'ceph-osd': daemon('osd.0'),
    radosgw: daemon('client.rgw.a'),
    'radosgw-admin': 'exit 0',
    ceph: 'exit 0',
    'ceph-authtool': 'exit 0',
    monmaptool: 'exit 0',
    ...overrides,
  };
  for (const [name, body] of Object.entries(scripts)) {
    const path = join(bin, name);
    writeFileSync(path, `#!/usr/bin/env bash\n${body}\n`);
    chmodSync(path, 0o755);
  }
  return bin;
}

function start(bin: string) {
  const dir = join(mkdtempSync(join(root, 'cluster-')), 'ceph');
  mkdirSync(dir, { recursive: true });
  // Ports nothing listens on: the script only probes them before it would start the daemons.
  const port = 40000 + Math.floor(Math.random() * 20000);
  const run = spawnSync('bash', [SCRIPT, 'start'], {
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      CEPH_S3_DIR: dir,
      CEPH_S3_PORT: String(port),
      CEPH_S3_MON_PORT: String(port + 1),
    },
    timeout: 30_000,
  });
  return { run, dir };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function pidsIn(dir: string): number[] {
  const kept = `${dir}.failed-logs`;
  return existsSync(join(kept, 'pids'))
    ? readFileSync(join(kept, 'pids'), 'utf8').trim().split('\n').map(Number)
    : [];
}

describe('ceph-s3.sh start, when a daemon fails', () => {
  it('names the failed step with its status and shows what radosgw printed on stdout', () => {
    const bin = stubs({
      // Also note the pids of the daemons already started, so the test can check they are gone.
      radosgw: `cat "$CEPH_S3_DIR"/run/*.pid > "$CEPH_S3_DIR/log/pids"
        echo "Couldn't init storage provider (RADOS)"; exit 250`,
    });
    const { run, dir } = start(bin);
    expect(run.status).toBe(250);
    expect(run.stdout).not.toMatch(/ATAI_/);
    expect(run.stderr).toMatch(/step failed with exit status 250 \(line \d+\): radosgw -c/);
    expect(run.stderr).toContain("Couldn't init storage provider (RADOS)");
    expect(run.stderr).toContain(`logs kept in ${dir}.failed-logs`);
    const pids = pidsIn(dir);
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(alive(pid)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });

  it('shows the OSD’s own error when it dies right after starting', () => {
    const bin = stubs({
      'ceph-osd': `case " $* " in *" --mkfs "*) exit 0 ;; esac
        cat "$CEPH_S3_DIR"/run/*.pid > "$CEPH_S3_DIR/log/pids"
        echo "** ERROR: osd init failed: (12) Cannot allocate memory" >&2`,
    });
    const { run, dir } = start(bin);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('the OSD did not start');
    expect(run.stderr).toContain('osd init failed: (12) Cannot allocate memory');
    const pids = pidsIn(dir);
    expect(pids).toHaveLength(1);
    expect(alive(pids[0] ?? 0)).toBe(false);
  });

  it('passes on a failing command’s own exit status and leaves its stderr in view', () => {
    const bin = stubs({
      'radosgw-admin': 'echo "user create: (5) Input/output error" >&2; exit 5',
    });
    const { run } = start(bin);
    expect(run.status).toBe(5);
    expect(run.stderr).toMatch(
      /step failed with exit status 5 \(line \d+\): timeout 60 radosgw-admin/,
    );
    expect(run.stderr).toContain('user create: (5) Input/output error');
  });
});
