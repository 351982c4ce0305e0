/** Starts the emulator in a child process and talks to it over its admin routes. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Accounting, StorageOptions, UploadSnapshot } from '@atai-upload/emulator';
import { sha256Response } from '@atai-upload/test-support';
import { cpuSeconds } from './proc.js';

const here = dirname(fileURLToPath(import.meta.url));

export interface EmulatorProcess {
  apiUrl: string;
  storageUrl: string;
  adminUrl: string;
  apiKey: string;
  pid: number;
  partSize: number;
  /** CPU seconds the emulator process used so far. */
  cpuSeconds(): number;
  accounting(): Promise<Accounting>;
  /** The counters without the per-part map (cheap to poll every second). */
  totals(): Promise<Accounting>;
  upload(uploadId: string): Promise<UploadSnapshot>;
  /** SHA-256 of a stored file, downloaded through `GET /files/download/<name>`. */
  sha256(fileName: string): Promise<string>;
  /** Forgets every upload and file and deletes their bytes (keeps the disk from filling up). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface EmulatorProcessOptions {
  partSize: number;
  integrity?: 'crc32c' | 'none';
  apiKey?: string;
  /** Per-connection cap on PUT bodies in bytes/s (the emulator's fault knob); 0 = none. */
  bandwidthBytesPerSec?: number;
  /** Delay before every request is handled (ms): a far-away store. */
  latencyMs?: number;
  /** Where part bytes go; default the local data dir (`discard` keeps nothing: the soak). */
  storage?: StorageOptions;
}

export async function startEmulatorProcess(opts: EmulatorProcessOptions): Promise<EmulatorProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'atai-bench-emu-'));
  const apiKey = opts.apiKey ?? 'bench-key';
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...process.execArgv.filter((a) => a !== '--expose-gc'),
      join(here, 'emulator-child.ts'),
      JSON.stringify({
        apiPort: 0,
        storagePort: 0,
        dataDir,
        partSize: opts.partSize,
        integrity: opts.integrity ?? 'crc32c',
        apiKey,
        urlTtlSeconds: 3600,
        ...(opts.storage ? { storage: opts.storage } : {}),
        faults: {
          bandwidthBytesPerSec: opts.bandwidthBytesPerSec ?? 0,
          latencyMs: opts.latencyMs ?? 0,
        },
      }),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (l) => {
      rl.close();
      resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited early (${code})`)));
  });
  const urls = JSON.parse(line) as { apiUrl: string; storageUrl: string; adminUrl: string };
  const admin = async <T>(path: string, method = 'GET'): Promise<T> => {
    const res = await fetch(`${urls.adminUrl}/${path}`, { method });
    if (!res.ok) throw new Error(`emulator admin ${path}: HTTP ${res.status}`);
    return (await res.json()) as T;
  };
  return {
    ...urls,
    apiKey,
    pid: child.pid!,
    partSize: opts.partSize,
    cpuSeconds: () => cpuSeconds(child.pid!),
    accounting: () => admin<Accounting>('accounting'),
    totals: () => admin<Accounting>('accounting?parts=0'),
    upload: (id) => admin<UploadSnapshot>(`uploads/${encodeURIComponent(id)}`),
    async sha256(fileName) {
      const res = await fetch(`${urls.apiUrl}/files/download/${encodeURIComponent(fileName)}`, {
        headers: { Authorization: `Bearer ${apiKey}` },
      });
      if (!res.ok) throw new Error(`download of ${fileName}: HTTP ${res.status}`);
      return sha256Response(res);
    },
    async reset() {
      await admin('reset', 'POST');
    },
    async close() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
