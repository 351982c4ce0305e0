/**
 * Runs one upload of a generated file through one client (the Node limit, a page in
 * a fresh Chromium) against an emulator process, measures it, and checks that it
 * really completed (and, when asked, that the stored bytes hash to the source's).
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import type { UploadConfig, UploadResult } from '../../pages/common.js';
import { launchBenchBrowser, type MemoryPeaks, sampleMemory } from './browser.js';
import { launchPipeChromium } from './cdp-pipe.js';
import type { EmulatorProcess } from './emulator.js';
import {
  benchRunInPage,
  launchFirefox,
  openBenchPage,
  type ProcessMemory,
  sampleProcessMemory,
} from './firefox.js';
import type { PageName, PageServer } from './pages.js';

const here = dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);

export type ClientName =
  | 'limit'
  | 'bare'
  | 'bare-crc1'
  | 'ours'
  | 'ours-nocrc'
  | 'ours-inline'
  | 'ours-auto'
  | 'uppy5'
  | 'uppy6'
  | 'naive';

export const CLIENTS: Record<
  ClientName,
  {
    label: string;
    page?: PageName;
    integrity?: boolean;
    concurrency?: 'auto';
    inlineHasher?: boolean;
  }
> = {
  limit: { label: 'limit: Node, same parallel PUTs, no browser' },
  bare: { label: 'bare page: fetch PUTs of file.slice(), no library', page: 'bare' },
  'bare-crc1': {
    label: 'bare page, each part read once, CRC-32C inline, bytes PUT',
    page: 'bare',
    integrity: true,
  },
  ours: { label: 'ours: useMultipartUpload, CRC-32C on', page: 'ours', integrity: true },
  'ours-nocrc': {
    label: 'ours: useMultipartUpload, CRC-32C off',
    page: 'ours',
    integrity: false,
  },
  'ours-inline': {
    label: 'ours: useMultipartUpload, CRC-32C on, hashed on the main thread',
    page: 'ours',
    integrity: true,
    inlineHasher: true,
  },
  'ours-auto': {
    label: "ours: useMultipartUpload, CRC-32C on, concurrency 'auto'",
    page: 'ours',
    integrity: true,
    concurrency: 'auto',
  },
  uppy5: { label: 'Uppy 5.1 @uppy/aws-s3, custom functions', page: 'uppy5' },
  uppy6: { label: 'Uppy 6.3 @uppy/aws-s3, signRequest', page: 'uppy6' },
  naive: { label: 'naive: sequential fetch PUTs', page: 'naive' },
};

export function isClient(name: string): name is ClientName {
  return name in CLIENTS;
}

export interface RunOptions {
  client: ClientName;
  emu: EmulatorProcess;
  pages: PageServer;
  path: string;
  /** Size of the file at `path`. */
  size: number;
  /** Stored file name (unique per run). */
  name: string;
  concurrency: number;
  /** Sample the page heap and the browser's RSS (Firefox: its RSS and PSS only). */
  memory?: boolean;
  /** The browser a page client runs in (default Chromium). */
  browser?: 'chromium' | 'firefox';
  /**
   * How Chromium is driven: Playwright (default; it keeps the DevTools Network domain on) or
   * lib/cdp-pipe.ts, a bare DevTools pipe that never enables it (no memory sampling there).
   */
  driver?: 'playwright' | 'pipe';
  /** Expected SHA-256 of the stored file; checked when given. */
  sha256?: string;
  /** Called just before a page's upload; what it returns is awaited just after (profiling). */
  instrument?: (page: Page, browserPid: number) => Promise<() => Promise<void>>;
}

export interface RunOutcome {
  seconds: number;
  bytes: number;
  /** MB/s with MB = 10^6 bytes. */
  mbps: number;
  clientCpuSeconds: number;
  emulatorCpuSeconds: number;
  memory?: MemoryPeaks;
  /** Firefox runs: its process tree's RSS and PSS (Firefox has no CDP heap figures). */
  processMemory?: ProcessMemory;
  shaChecked: boolean;
  info?: Record<string, string | number | boolean>;
}

/** One upload; throws if it did not complete (a failed upload is not a measurement). */
export async function runUpload(o: RunOptions): Promise<RunOutcome> {
  const spec = CLIENTS[o.client];
  let tLap = performance.now();
  const lap = (what: string) => {
    if (!process.env.BENCH_DEBUG) return;
    const now = performance.now();
    console.error(`    [${o.client}] ${what}: ${((now - tLap) / 1000).toFixed(2)} s`);
    tLap = now;
  };
  const emuCpu0 = o.emu.cpuSeconds();
  let result: UploadResult & { cpuSeconds?: number };
  let clientCpu = 0;
  let memory: MemoryPeaks | undefined;
  let processMemory: ProcessMemory | undefined;
  if (!spec.page) {
    const { stdout } = await run(
      process.execPath,
      [
        ...process.execArgv.filter((a) => a !== '--expose-gc'),
        join(here, 'limit-client.ts'),
        JSON.stringify({
          apiUrl: o.emu.apiUrl,
          apiKey: o.emu.apiKey,
          path: o.path,
          name: o.name,
          concurrency: o.concurrency,
        }),
      ],
      { maxBuffer: 1024 * 1024 },
    );
    result = JSON.parse(stdout.trim().split('\n').at(-1)!) as UploadResult & { cpuSeconds: number };
    clientCpu = result.cpuSeconds ?? 0;
  } else if (o.browser === 'firefox') {
    ({ result, clientCpu, processMemory } = await runInFirefox(o));
  } else if (o.driver === 'pipe') {
    ({ result, clientCpu } = await runInPipeChromium(o));
  } else {
    const b = await launchBenchBrowser();
    try {
      lap('launch');
      const page = await b.browser.newPage();
      page.on('pageerror', (e) => console.error(`[${o.client}] page error: ${e.message}`));
      if (process.env.BENCH_DEBUG)
        page.on('console', (m) => console.error(`[${o.client}] ${m.text()}`));
      await page.goto(`${o.pages.url}/${spec.page}.html`);
      await page.waitForFunction(() => window.benchReady === true);
      lap('page');
      await page.setInputFiles('#file', o.path);
      lap('setInputFiles');
      const sampler = o.memory ? await sampleMemory(page, b.pid) : undefined;
      const cfg = pageConfig(o, spec);
      const stopInstrument = await o.instrument?.(page, b.pid);
      const cpu0 = b.cpuSeconds();
      result = await withTimeout(
        page.evaluate((c) => window.benchRun!(c), cfg),
        o,
      );
      clientCpu = b.cpuSeconds() - cpu0;
      await stopInstrument?.();
      memory = await sampler?.stop();
      lap('upload');
    } finally {
      await b.close();
      lap('close');
    }
  }
  const emulatorCpuSeconds = o.emu.cpuSeconds() - emuCpu0;
  if (!result.ok) throw new Error(`${o.client}: upload failed: ${result.error ?? 'unknown error'}`);
  // The server's view: completed, every part stored, and the right size.
  const snap = await o.emu.upload(result.uploadId!);
  if (
    snap.status !== 'completed' ||
    snap.uploadedParts.length !== snap.numParts ||
    snap.numBytes !== result.bytes
  ) {
    throw new Error(
      `${o.client}: the emulator does not hold a complete upload: ${JSON.stringify(snap).slice(0, 300)}`,
    );
  }
  let shaChecked = false;
  if (o.sha256) {
    const got = await o.emu.sha256(result.fileName ?? o.name);
    if (got !== o.sha256)
      throw new Error(`${o.client}: stored SHA-256 ${got} ≠ source ${o.sha256}`);
    shaChecked = true;
  }
  lap('verify');
  const seconds = result.ms / 1000;
  return {
    seconds,
    bytes: result.bytes,
    mbps: result.bytes / seconds / 1e6,
    clientCpuSeconds: clientCpu,
    emulatorCpuSeconds,
    shaChecked,
    ...(memory ? { memory } : {}),
    ...(processMemory ? { processMemory } : {}),
    ...(result.info ? { info: result.info } : {}),
  };
}

/** What a page's `benchRun` gets for this run. */
function pageConfig(o: RunOptions, spec: (typeof CLIENTS)[keyof typeof CLIENTS]): UploadConfig {
  return {
    apiUrl: o.emu.apiUrl,
    apiKey: o.emu.apiKey,
    name: o.name,
    concurrency: o.concurrency,
    autoConcurrency: spec.concurrency === 'auto',
    partSize: o.emu.partSize,
    integrity: spec.integrity ?? false,
    ...(spec.inlineHasher ? { inlineHasher: true } : {}),
  };
}

/** A stuck upload must fail the benchmark, not hang it: `work` must end at 2 MB/s or better. */
function withTimeout<T>(work: Promise<T>, o: RunOptions): Promise<T> {
  const ms = 60_000 + (o.size / 2e6) * 1000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${o.client}: no result after ${(ms / 1000).toFixed(0)} s`)),
        ms,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

/** The client's page in a fresh Firefox, sampling its process tree's memory when asked. */
async function runInFirefox(o: RunOptions) {
  const b = await launchFirefox();
  try {
    const page = await openBenchPage(b.session, `${o.pages.url}/${CLIENTS[o.client].page}.html`);
    await page.setInputFiles('#file', [o.path]);
    const sampler = o.memory ? sampleProcessMemory(b.pid) : undefined;
    const cpu0 = b.cpuSeconds();
    const cfg = pageConfig(o, CLIENTS[o.client]);
    const result = await withTimeout(benchRunInPage(page, cfg), o);
    const clientCpu = b.cpuSeconds() - cpu0;
    const processMemory = await sampler?.stop();
    return { result, clientCpu, processMemory };
  } finally {
    await b.close();
  }
}

/** The client's page in a fresh Chromium driven over the bare DevTools pipe. */
async function runInPipeChromium(o: RunOptions) {
  if (o.memory || o.instrument)
    throw new Error('the pipe driver samples no memory and profiles nothing');
  const page = await launchPipeChromium();
  try {
    await page.goto(`${o.pages.url}/${CLIENTS[o.client].page}.html`);
    const deadline = Date.now() + 30_000;
    while (!(await page.evaluate<boolean>('window.benchReady === true'))) {
      if (Date.now() > deadline) throw new Error(`${o.client}: the page never became ready`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await page.setInputFiles('#file', o.path);
    const cpu0 = page.cpuSeconds();
    const cfg = pageConfig(o, CLIENTS[o.client]);
    const result = await withTimeout(
      page.evaluate<UploadResult>(`window.benchRun(${JSON.stringify(cfg)})`),
      o,
    );
    return { result, clientCpu: page.cpuSeconds() - cpu0 };
  } finally {
    await page.close();
  }
}

/**
 * Frees the emulator's disk between runs. Deleting the stored parts soon also drops
 * their dirty pages, so the disk never has to write them (a `sync` here would wait
 * minutes for a slow disk and measure nothing).
 */
export async function cleanUp(emu: EmulatorProcess): Promise<void> {
  await emu.reset();
}
