import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type EmulatorOptions,
  type RunningEmulator,
  startEmulator,
  storageFromEnv,
} from '../src/index.js';

/**
 * Whether this run's emulators store on a bucket (the RGW pass sets ATAI_EMULATOR_STORAGE=s3).
 * Tests of the emulator's own storage origin (its CORS answers, the faults it injects into
 * part PUTs, what it counts of them) skip there: the bucket answers those PUTs, not us.
 */
export const onBucket = storageFromEnv(process.env).kind === 's3';

/** A started emulator on free ports and a fresh temp data dir. */
export async function startTemp(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'atai-emu-test-')));
  return startEmulator({ apiPort: 0, storagePort: 0, ...options, dataDir });
}

/** Closes the emulator and deletes its data dir. */
export async function stopTemp(emu: RunningEmulator | undefined): Promise<void> {
  if (!emu) return;
  await emu.close();
  await rm(emu.dataDir, { recursive: true, force: true });
}

/** One error of the documented envelope. */
export interface EnvelopeError {
  code: string;
  message: string;
  suggestion?: string;
  error_uid: string;
}

/** Response of an API call: status, parsed JSON (or undefined) and headers. */
export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  /** The success shape, or the contract's `{errors: [...]}` envelope on failures. */
  body: T & { errors?: EnvelopeError[] };
  headers: Headers;
}

/** The first error of a failed call's envelope; fails the test when there is none. */
export function firstError(r: ApiResponse<unknown>): EnvelopeError {
  const first = r.body?.errors?.[0];
  if (!first) throw new Error(`expected an error envelope, got ${JSON.stringify(r.body)}`);
  return first;
}

/** The error codes of a failed call, in order. */
export function errorCodes(r: ApiResponse<unknown>): string[] {
  return (r.body?.errors ?? []).map((e) => e.code);
}

/** Calls an API route with the emulator's key (or `key`), JSON in and out. */
export async function call<T = Record<string, unknown>>(
  emu: RunningEmulator,
  path: string,
  body?: unknown,
  init: { method?: string; key?: string | null; raw?: string } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const key = init.key === undefined ? emu.apiKey : init.key;
  if (key !== null) headers.Authorization = `Bearer ${key}`;
  const payload = init.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  const res = await fetch(`${emu.apiUrl}${path}`, {
    method: init.method ?? (payload === undefined ? 'GET' : 'POST'),
    headers,
    body: payload,
  });
  const text = await res.text();
  return {
    status: res.status,
    body: (text === '' ? undefined : JSON.parse(text)) as ApiResponse<T>['body'],
    headers: res.headers,
  };
}

/** A part entry of initiate / refresh responses. */
export interface PartEntry {
  part_number: number;
  url: string;
  offset: number;
  length: number;
  expires_at: string;
}

/** The initiate response. */
export interface InitiateBody {
  upload_id: string;
  file_uid: string;
  file_name: string;
  total_bytes: number;
  num_parts: number;
  part_size: number;
  is_resume: boolean;
  integrity_algorithm: string;
  parts: PartEntry[];
}

/** Initiates an upload, asserting nothing (callers check the status). */
export function initiate(
  emu: RunningEmulator,
  filename: string,
  numBytes: number,
  extra: Record<string, unknown> = {},
): Promise<ApiResponse<InitiateBody>> {
  return call<InitiateBody>(emu, '/files/uploads/initiate', {
    filename,
    file_type: 'text/csv',
    num_bytes: numBytes,
    ...extra,
  });
}

/** PUTs one part's bytes; returns the status and the ETag header. */
export async function putPart(
  part: PartEntry,
  data: Uint8Array<ArrayBuffer>,
  headers: Record<string, string> = {},
): Promise<{ status: number; etag: string | null; text: string; headers: Headers }> {
  const res = await fetch(part.url, {
    method: 'PUT',
    body: data.subarray(part.offset, part.offset + part.length),
    headers,
  });
  return {
    status: res.status,
    etag: res.headers.get('etag'),
    text: await res.text(),
    headers: res.headers,
  };
}

/** Deterministic pseudo-random bytes. */
export function testBytes(length: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Uploads every part, returning the tokens in part order. */
export async function putAll(
  parts: readonly PartEntry[],
  data: Uint8Array<ArrayBuffer>,
): Promise<Array<{ part_number: number; part_token: string }>> {
  const tokens = [];
  for (const part of parts) {
    const r = await putPart(part, data);
    if (r.status !== 200 || !r.etag)
      throw new Error(`PUT part ${part.part_number}: ${r.status} ${r.text}`);
    tokens.push({ part_number: part.part_number, part_token: r.etag });
  }
  return tokens;
}

/** Downloads a file by name. */
export async function download(emu: RunningEmulator, name: string): Promise<Response> {
  return fetch(`${emu.apiUrl}/files/download/${encodeURIComponent(name)}`, {
    headers: { Authorization: `Bearer ${emu.apiKey}` },
  });
}
