/**
 * Chromium driven over a bare DevTools pipe (`--remote-debugging-pipe`), with only the
 * domains a benchmark reads: Page (navigate, reload, init script, screenshot), Runtime
 * (evaluate), DOM (set a file input) and Performance (the JS heap). Never Network.
 *
 * Why not Playwright here: Playwright enables the DevTools Network domain on every page it
 * drives, and while a client listens the browser keeps a record of every request (and may
 * copy request bodies held in page memory). A 32,000-part upload is 64,000+ requests, so the
 * harness could be what grows or slows. This driver is the control: the same page with no
 * automation but what the figures need. It is small on purpose (one page, no events but the
 * load event) and is not a general driver.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { CHROMIUM_ARGS, chromiumPath } from '@atai-upload/test-support';
import { treeCpuSeconds } from './proc.js';

type Params = Record<string, unknown>;
type Result = Record<string, unknown>;

interface Pending {
  method: string;
  resolve(r: Result): void;
  reject(e: Error): void;
}

/** One CDP connection over the pipe: NUL-terminated JSON messages both ways. */
class PipeConnection {
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  readonly #listeners = new Map<string, Set<(params: Params) => void>>();
  #chunks: Buffer[] = [];
  #closed: Error | undefined;

  constructor(
    private readonly out: Writable,
    input: Readable,
  ) {
    input.on('data', (chunk: Buffer) => this.#receive(chunk));
    input.on('close', () => this.#fail(new Error('the browser closed the DevTools pipe')));
    out.on('error', (e) => this.#fail(e));
  }

  send(method: string, params: Params = {}, sessionId?: string): Promise<Result> {
    if (this.#closed) return Promise.reject(this.#closed);
    const id = this.#nextId++;
    const message = JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) });
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { method, resolve, reject });
      this.out.write(`${message}\0`);
    });
  }

  /** Calls `fn` for each event `method` (of any session) until the returned function is called. */
  on(method: string, fn: (params: Params) => void): () => void {
    const set = this.#listeners.get(method) ?? new Set();
    set.add(fn);
    this.#listeners.set(method, set);
    return () => set.delete(fn);
  }

  #receive(chunk: Buffer): void {
    let start = 0;
    for (let end = chunk.indexOf(0); end !== -1; end = chunk.indexOf(0, start)) {
      this.#chunks.push(chunk.subarray(start, end));
      const text = Buffer.concat(this.#chunks).toString('utf8');
      this.#chunks = [];
      start = end + 1;
      this.#dispatch(JSON.parse(text) as Record<string, unknown>);
    }
    if (start < chunk.length) this.#chunks.push(chunk.subarray(start));
  }

  #dispatch(msg: Record<string, unknown>): void {
    if (typeof msg.id === 'number') {
      const p = this.#pending.get(msg.id);
      if (!p) return;
      this.#pending.delete(msg.id);
      const error = msg.error as { message?: string } | undefined;
      if (error) p.reject(new Error(`${p.method}: ${error.message ?? 'error'}`));
      else p.resolve((msg.result ?? {}) as Result);
      return;
    }
    if (typeof msg.method === 'string') {
      for (const fn of this.#listeners.get(msg.method) ?? []) fn((msg.params ?? {}) as Params);
    }
  }

  #fail(e: Error): void {
    if (this.#closed) return;
    this.#closed = e;
    for (const p of this.#pending.values()) p.reject(e);
    this.#pending.clear();
  }
}

export interface PipePage {
  /** The browser's main process. */
  pid: number;
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  /** Runs `expression` in the page, awaiting a promise, and returns its JSON value. */
  evaluate<R>(expression: string): Promise<R>;
  /** Runs a self-contained function (sent as source: no captured variables) with one JSON argument. */
  run<R, A = undefined>(fn: (arg: A) => R, arg?: A): Promise<Awaited<R>>;
  /** Source run before the page's own scripts in every document from now on. */
  addInitScript(source: string): Promise<void>;
  setInputFiles(selector: string, path: string): Promise<void>;
  screenshot(path: string): Promise<void>;
  /** JSHeapUsedSize of the page's main thread. */
  heapBytes(): Promise<number>;
  /** CPU seconds used so far by the browser's process tree. */
  cpuSeconds(): number;
  close(): Promise<void>;
}

const LOAD_TIMEOUT_MS = 60_000;

/** Launches Debian's Chromium headless with one tab, driven over the DevTools pipe. */
export async function launchPipeChromium(
  viewport = { width: 1100, height: 900 },
): Promise<PipePage> {
  const executable = chromiumPath();
  if (!executable) throw new Error('Chromium not found (apt-get install -y chromium)');
  const profile = mkdtempSync(join(tmpdir(), 'atai-bench-pipe-'));
  const child: ChildProcess = spawn(
    executable,
    [
      ...CHROMIUM_ARGS,
      '--remote-debugging-pipe',
      `--user-data-dir=${profile}`,
      `--window-size=${viewport.width},${viewport.height}`,
      '--no-default-browser-check',
      '--disable-extensions',
      // A benchmark tab must not be throttled as a background one would be.
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString('utf8')).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const conn = new PipeConnection(child.stdio[3] as Writable, child.stdio[4] as Readable);
  const cleanUp = () => rmSync(profile, { recursive: true, force: true });

  let sessionId: string;
  try {
    const { targetId } = (await conn.send('Target.createTarget', { url: 'about:blank' })) as {
      targetId: string;
    };
    ({ sessionId } = (await conn.send('Target.attachToTarget', { targetId, flatten: true })) as {
      sessionId: string;
    });
  } catch (e) {
    child.kill('SIGKILL');
    cleanUp();
    throw new Error(`chromium (pipe) did not start: ${(e as Error).message}\n${stderr}`);
  }
  const send = (method: string, params: Params = {}) => conn.send(method, params, sessionId);
  await send('Page.enable');
  await send('Performance.enable');

  /** Resolves on the next load event of this tab's main frame. */
  const nextLoad = () =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no load event within ${LOAD_TIMEOUT_MS} ms`));
      }, LOAD_TIMEOUT_MS);
      const off = conn.on('Page.loadEventFired', () => {
        clearTimeout(timer);
        off();
        resolve();
      });
    });

  const evaluate = async <R>(expression: string): Promise<R> => {
    const r = (await send('Runtime.evaluate', {
      expression,
      awaitPromise: true,
      returnByValue: true,
    })) as {
      result: { value?: unknown };
      exceptionDetails?: { text?: string; exception?: { description?: string } };
    };
    if (r.exceptionDetails) {
      const d = r.exceptionDetails;
      throw new Error(`in the page: ${d.exception?.description ?? d.text ?? 'exception'}`);
    }
    return r.result.value as R;
  };

  return {
    pid: child.pid!,
    goto: async (url) => {
      const loaded = nextLoad();
      const r = (await send('Page.navigate', { url })) as { errorText?: string };
      if (r.errorText) throw new Error(`navigate to ${url}: ${r.errorText}`);
      await loaded;
    },
    reload: async () => {
      const loaded = nextLoad();
      await send('Page.reload');
      await loaded;
      // The metrics agent belongs to the document: ask again for the new one.
      await send('Performance.enable');
    },
    evaluate,
    run: <R, A>(fn: (arg: A) => R, arg?: A) =>
      evaluate<Awaited<R>>(`(${fn.toString()})(${arg === undefined ? '' : JSON.stringify(arg)})`),
    addInitScript: async (source) => {
      await send('Page.addScriptToEvaluateOnNewDocument', { source });
    },
    setInputFiles: async (selector, path) => {
      const r = (await send('Runtime.evaluate', {
        expression: `document.querySelector(${JSON.stringify(selector)})`,
      })) as { result: { objectId?: string } };
      const objectId = r.result.objectId;
      if (!objectId) throw new Error(`no element matches ${selector}`);
      await send('DOM.setFileInputFiles', { objectId, files: [path] });
      await send('Runtime.releaseObject', { objectId });
    },
    screenshot: async (path) => {
      const { data } = (await send('Page.captureScreenshot', { format: 'png' })) as {
        data: string;
      };
      writeFileSync(path, Buffer.from(data, 'base64'));
    },
    heapBytes: async () => {
      const { metrics } = (await send('Performance.getMetrics')) as {
        metrics: Array<{ name: string; value: number }>;
      };
      return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
    },
    cpuSeconds: () => treeCpuSeconds(child.pid!),
    close: async () => {
      // Ask politely, then make sure: a benchmark must not leave a browser behind.
      await Promise.race([
        conn.send('Browser.close').catch(() => undefined),
        new Promise((r) => setTimeout(r, 5000)),
      ]);
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
      cleanUp();
    },
  };
}
