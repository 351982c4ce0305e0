import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { crc32cSync, crc32cToBase64 } from '@atai-upload/crc32c';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCliArgs, type RunningEmulator, startEmulator } from '../src/index.js';
import { call, download, initiate, type PartEntry, putAll, putPart, testBytes } from './helpers.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const dirs: string[] = [];
const emus: RunningEmulator[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'atai-emu-dur-'));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(emus.map((e) => e.close()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const port = (url: string): number => Number(new URL(url).port);

/** Node arguments that run the emulator's CLI from source on free ports, then `extra`. */
const cliArgs = (dataDir: string, ...extra: string[]): string[] => [
  '--import',
  'tsx',
  '--conditions=source',
  'packages/emulator/src/cli.ts',
  '--api-port',
  '0',
  '--storage-port',
  '0',
  '--data-dir',
  dataDir,
  ...extra,
];

describe('restart', () => {
  it('keeps uploads, parts, checkpoints, URLs and files across a restart', async () => {
    const dataDir = await tempDir();
    const PART = 1000;
    const data = testBytes(8 * PART - 123, 31);
    const first = await startEmulator({ apiPort: 0, storagePort: 0, dataDir, partSize: PART });
    emus.push(first);
    const init = await initiate(first, 'durable.csv', data.length, { resume_if_started: true });
    const id = init.body.upload_id;
    const early = await putAll(init.body.parts.slice(0, 5), data);
    await call(first, `/files/uploads/${id}/parts/checkpoint`, { parts: early.slice(0, 3) });
    await first.close();

    // Same ports, so URLs issued before the restart point at the new process.
    const second = await startEmulator({
      apiPort: port(first.apiUrl),
      storagePort: first.storage === 's3' ? 0 : port(first.storageUrl),
      dataDir,
      partSize: PART,
    });
    emus.push(second);
    expect(second.upload(id)).toMatchObject({
      status: 'in_progress',
      uploadedParts: [0, 1, 2, 3, 4],
      checkpointedParts: [0, 1, 2],
    });
    const resumed = await initiate(second, 'durable.csv', data.length, { resume_if_started: true });
    expect(resumed.body.is_resume).toBe(true);
    expect(resumed.body.upload_id).toBe(id);
    expect(resumed.body.parts.map((p) => p.part_number)).toEqual([3, 4, 5, 6, 7]);
    // An old, unexpired URL from before the restart still works.
    const old = init.body.parts[5] as PartEntry;
    const oldPut = await putPart(old, data);
    expect(oldPut.status).toBe(200);
    // Parts 3 and 4 were uploaded (not checkpointed) before the restart: their
    // pre-restart ETags still verify, so only 6 and 7 need sending now.
    const rest = await putAll(
      resumed.body.parts.filter((p) => p.part_number > 5),
      data,
    );
    const tokens = [early[3]!, early[4]!, { part_number: 5, part_token: oldPut.etag! }, ...rest];
    const done = await call(second, `/files/uploads/${id}/complete`, {
      parts: tokens,
      integrity_checksum: crc32cToBase64(crc32cSync(data)),
    });
    expect(done.status).toBe(200);
    await second.close();

    const third = await startEmulator({ apiPort: 0, storagePort: 0, dataDir, partSize: PART });
    emus.push(third);
    expect(third.upload(id)?.status).toBe('completed');
    const meta = await call(third, '/files/metadata/durable.csv');
    expect(meta.body).toMatchObject({
      file_status: 'FILE_STATUS_REGISTERED',
      file_uid: third.upload(id)?.fileUid,
      num_bytes: data.length,
    });
    const res = await download(third, 'durable.csv');
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(data))).toBe(true);
    const again = await call(third, `/files/uploads/${id}/complete`, { parts: [] });
    expect(again.status).toBe(409);
  });

  it('remembers checkpoints of a part uploaded before the restart', async () => {
    const dataDir = await tempDir();
    const a = await startEmulator({ apiPort: 0, storagePort: 0, dataDir, partSize: 500 });
    emus.push(a);
    const data = testBytes(1000, 3);
    const init = await initiate(a, 'ck-restart.csv', data.length);
    const tokens = await putAll(init.body.parts, data);
    await a.close();
    const b = await startEmulator({ apiPort: 0, storagePort: 0, dataDir, partSize: 500 });
    emus.push(b);
    const ck = await call(b, `/files/uploads/${init.body.upload_id}/parts/checkpoint`, {
      parts: tokens,
    });
    expect(ck.body).toEqual({ num_checkpointed: 2 });
    const done = await call(b, `/files/uploads/${init.body.upload_id}/complete`, {
      parts: [],
      integrity_checksum: crc32cToBase64(crc32cSync(data)),
    });
    expect(done.status).toBe(200);
  });
});

describe('CLI', () => {
  it('parses flags', () => {
    expect(
      parseCliArgs(['--part-size', '8MiB', '--api-port=0', '--integrity', 'none']),
    ).toMatchObject({
      help: false,
      options: { partSize: 8 * 1024 * 1024, apiPort: 0, integrity: 'none' },
    });
    expect(parseCliArgs(['--part-size', '5MB']).options.partSize).toBe(5_000_000);
    expect(parseCliArgs(['--part-size', '1024']).options.partSize).toBe(1024);
    expect(parseCliArgs(['--help']).help).toBe(true);
    expect(() => parseCliArgs(['--bogus'])).toThrow(/unknown option/);
    expect(() => parseCliArgs(['--part-size', '8XB'])).toThrow(/invalid size/);
    expect(() => parseCliArgs(['--api-port', '70000'])).toThrow();
    expect(() => parseCliArgs(['--url-ttl'])).toThrow(/needs a value/);
    expect(
      parseCliArgs(['--opaque-storage-errors', '--file-types', 'text/csv, application/pdf'])
        .options,
    ).toEqual({ opaqueStorageErrors: true, fileTypes: ['text/csv', 'application/pdf'] });
    expect(parseCliArgs([]).options.opaqueStorageErrors).toBeUndefined();
    expect(() => parseCliArgs(['--file-types', 'csv'])).toThrow(/--file-types expects/);
    expect(() => parseCliArgs(['--file-types=,'])).toThrow(/--file-types expects/);
  });

  it('starts, prints one JSON line, serves, and exits 0 on SIGTERM', async () => {
    const dataDir = await tempDir();
    const faultsFile = join(dataDir, 'faults.json');
    await writeFile(faultsFile, JSON.stringify({ retryAfterSeconds: 7 }));
    const child = spawn(
      process.execPath,
      cliArgs(
        join(dataDir, 'state'),
        '--part-size',
        '1KiB',
        '--api-key',
        'cli-key',
        '--faults',
        faultsFile,
        '--opaque-storage-errors',
        '--file-types',
        'text/csv,application/pdf',
      ),
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', () => reject(new Error(`CLI exited early: ${stderr}`)));
    });
    const urls = JSON.parse(first) as { api: string; storage: string };
    expect(Object.keys(urls)).toEqual(['api', 'storage']);
    expect(urls.api).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v0\.5$/);
    expect(urls.storage).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const res = await fetch(`${urls.api}/files/uploads/initiate`, {
      method: 'POST',
      headers: { Authorization: 'Bearer cli-key', 'Content-Type': 'application/json' },
      body: JSON.stringify({ filename: 'cli.csv', file_type: 'text/csv', num_bytes: 3000 }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { part_size: number; num_parts: number };
    expect(body).toMatchObject({ part_size: 1024, num_parts: 3 });
    const pdf = await fetch(`${urls.api}/files/uploads/initiate`, {
      method: 'POST',
      headers: { Authorization: 'Bearer cli-key', 'Content-Type': 'application/json' },
      body: JSON.stringify({ filename: 'a.pdf', file_type: 'application/pdf', num_bytes: 10 }),
    });
    expect(pdf.status).toBe(200);
    const faults = await fetch(urls.api.replace('/v0.5', '/__emulator/faults'));
    expect(await faults.json()).toMatchObject({ retryAfterSeconds: 7, opaqueStorageErrors: true });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('stops by itself when the process that started it dies without passing a signal on', async () => {
    // Like `pnpm emulator` killed by SIGTERM: the launcher dies, the emulator is orphaned.
    const args = cliArgs(join(await tempDir(), 'state'));
    const launcher = spawn(
      process.execPath,
      [
        '-e',
        `const c = require('node:child_process').spawn(process.execPath, ${JSON.stringify(args)}, { stdio: 'inherit' });
         process.stderr.write('pid ' + c.pid + '\\n');`,
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const pid = await new Promise<number>((resolve) => {
      launcher.stderr.on('data', (d: Buffer) => {
        const m = /pid (\d+)/.exec(String(d));
        if (m) resolve(Number(m[1]));
      });
    });
    const first = await new Promise<string>((resolve) =>
      createInterface({ input: launcher.stdout }).once('line', resolve),
    );
    const { api } = JSON.parse(first) as { api: string };
    expect((await fetch(api.replace('/v0.5', '/__emulator/accounting'))).status).toBe(200);

    launcher.kill('SIGKILL');
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 10_000;
    while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(alive()).toBe(false);
    await expect(fetch(api.replace('/v0.5', '/__emulator/accounting'))).rejects.toThrow();
  });

  it('exits 2 on an invalid flag', async () => {
    const child = spawn(
      process.execPath,
      cliArgs(join(await tempDir(), 'state'), '--integrity', 'md5'),
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('--integrity must be crc32c or none');
  });
});
