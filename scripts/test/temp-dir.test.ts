import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runWithTempDir } from '../temp-dir.mjs';

// A child that writes scratch data where Node puts temporary files, and reports where: after the
// run, nothing of it may remain (one full test run used to leave ~8 GB in /tmp).
const writeScratch = (exit: string) => `
  const fs = require('node:fs'), os = require('node:os'), path = require('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scratch-'));
  fs.writeFileSync(path.join(dir, 'data.bin'), Buffer.alloc(1024 * 1024));
  fs.writeFileSync(process.env.REPORT, dir);
  ${exit}
`;

const reports = mkdtempSync(join(tmpdir(), 'atai-temp-dir-test-'));
afterAll(() => rmSync(reports, { recursive: true, force: true }));

async function run(exit: string) {
  const report = join(reports, `where-${Math.random().toString(36).slice(2)}`);
  const status = await runWithTempDir(process.execPath, ['-e', writeScratch(exit)], {
    env: { ...process.env, REPORT: report },
  });
  return { status, scratch: readFileSync(report, 'utf8') };
}

describe('runWithTempDir', () => {
  it('routes the child’s temporary files into a private folder and removes it after', async () => {
    const { status, scratch } = await run('');
    expect(status).toBe(0);
    expect(scratch.startsWith(tmpdir())).toBe(true);
    expect(scratch).toMatch(/atai-run-[^/]+\/scratch-/);
    expect(existsSync(scratch)).toBe(false);
  });

  it('removes it too when the child fails or is killed, and passes the failure on', async () => {
    const failed = await run('process.exit(3)');
    expect(failed.status).toBe(3);
    expect(existsSync(failed.scratch)).toBe(false);
    const killed = await run("process.kill(process.pid, 'SIGKILL')");
    expect(killed.status).toBe(1);
    expect(existsSync(killed.scratch)).toBe(false);
  });
});
