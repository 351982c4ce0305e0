/** What every upload page shares: its config, its result, the file input, raw API calls. */

export interface UploadConfig {
  /** API base URL including the version, e.g. http://127.0.0.1:4600/v0.5 */
  apiUrl: string;
  apiKey: string;
  /** File name to upload under (unique per run). */
  name: string;
  /** Part PUTs in flight. */
  concurrency: number;
  /** Our page: `concurrency: 'auto'` instead. */
  autoConcurrency?: boolean;
  /** The server's part size (Uppy needs it before initiate). */
  partSize: number;
  /** Our hook: compute and send the whole-file CRC-32C. */
  integrity: boolean;
  /**
   * Our hook: hash parts on the page's main thread (`createInlinePartHasher`) instead of the
   * engine's CRC worker.
   */
  inlineHasher?: boolean;
}

export interface UploadResult {
  ok: boolean;
  /** From just before the first request (initiate) to the complete answer. */
  ms: number;
  bytes: number;
  error?: string;
  uploadId?: string;
  /** Name the file was stored under. */
  fileName?: string;
  /** Extra figures a page wants to report (e.g. the checksum status). */
  info?: Record<string, string | number | boolean>;
}

declare global {
  interface Window {
    benchRun?: (cfg: UploadConfig) => Promise<UploadResult>;
    benchReady?: boolean;
  }
}

/** The file chosen with `page.setInputFiles('#file', path)`. */
export function inputFile(): File {
  const f = (document.getElementById('file') as HTMLInputElement).files?.[0];
  if (!f) throw new Error('no file selected');
  return f;
}

/** Makes `run` callable from the benchmark driver as `window.benchRun(cfg)`. */
export function expose(run: (cfg: UploadConfig, file: File) => Promise<UploadResult>): void {
  window.benchRun = async (cfg) => {
    const file = inputFile();
    try {
      return await run(cfg, file);
    } catch (e) {
      return {
        ok: false,
        ms: 0,
        bytes: file.size,
        error: e instanceof Error ? e.message : String(e),
      };
    }
  };
  window.benchReady = true;
}

export interface PresignedPart {
  part_number: number;
  url: string;
  offset: number;
  length: number;
}

export interface Initiated {
  upload_id: string;
  part_size: number;
  num_parts: number;
  parts: PresignedPart[];
}

async function post<T>(cfg: UploadConfig, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${cfg.apiUrl}${path}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${cfg.apiKey}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

/** The API's routes through plain `fetch` (what the naive page and the Uppy adapters use). */
export const rawApi = {
  initiate: (cfg: UploadConfig, file: File) =>
    post<Initiated>(cfg, '/files/uploads/initiate', {
      filename: cfg.name,
      file_type: 'application/x-parquet',
      num_bytes: file.size,
    }),
  complete: (
    cfg: UploadConfig,
    uploadId: string,
    parts: Array<{ part_number: number; part_token: string }>,
  ) =>
    post<{ file_name: string; file_status: string }>(
      cfg,
      `/files/uploads/${encodeURIComponent(uploadId)}/complete`,
      { parts },
    ),
  abort: (cfg: UploadConfig, uploadId: string) =>
    post<unknown>(cfg, `/files/uploads/${encodeURIComponent(uploadId)}/abort`),
};
