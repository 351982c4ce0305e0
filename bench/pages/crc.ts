/**
 * CRC-32C in the browser over the chosen file:
 *   - worker: the engine's path — each part (a lazy File slice) hashed in the CRC Web
 *     Worker, streamed through hash-wasm (one reused 1 MiB buffer), one part after another as
 *     `hashMissingParts` does, then the per-part CRCs combined;
 *   - inline: the same on the main thread (the engine's fallback without workers);
 *   - whole: hash-wasm's one-shot `crc32(data, 0x82F63B78)` over the file read into
 *     one ArrayBuffer (read and hash timed apart);
 *   - worker-kernel: the worker path with the kernel forced (`kernel`: 'js' or 'wasm'), and
 *     optionally the read (`read`: stream, FileReaderSync, slices; `chunkBytes`), through
 *     bench/pages/crc32c-kernel.worker.ts, to compare kernels and reads on the same path;
 *   - read: the file read alone through `blob.stream()` into one reused 1 MiB buffer, as the
 *     hasher reads it, and not hashed: what the second read costs the browser by itself;
 *   - kernels: each kernel alone on the main thread, over the file's first `bytes` already in
 *     memory (read once, not timed), fed in 1 MiB chunks as a stream read feeds it; `pairs`
 *     short trials of each, alternating, so both see the same load on a busy machine.
 */
import {
  type Crc32cBlobRead,
  type Crc32cKernel,
  crc32cCombineAll,
  createCrc32c,
} from '@atai-upload/crc32c';
import {
  createInlinePartHasher,
  createWorkerPartHasher,
  type PartHasher,
} from '@atai-upload/engine';
import { crc32 } from 'hash-wasm';
import { inputFile } from './common.js';

export interface CrcRequest {
  mode: 'worker' | 'inline' | 'whole' | 'worker-kernel' | 'kernels' | 'read';
  /** worker-kernel mode: the kernel to force. */
  kernel?: Crc32cKernel;
  /** worker-kernel mode: how the worker reads each part, and in what chunks (bytes). */
  read?: Crc32cBlobRead;
  chunkBytes?: number;
  /** kernels mode: trials of each kernel, alternating (which goes first alternates too). */
  pairs?: number;
  partSize: number;
  /** Bytes hashed (whole mode may hash a prefix when the whole file cannot be one buffer). */
  bytes: number;
}

export interface CrcResult {
  ok: boolean;
  ms: number;
  /** whole mode: time to read the file into memory, and to hash it. */
  readMs?: number;
  hashMs?: number;
  /** kernels mode: the time of each trial, per kernel. */
  kernelMs?: Record<Crc32cKernel, number[]>;
  bytes: number;
  crc: number;
  error?: string;
}

declare global {
  interface Window {
    benchCrc?: (req: CrcRequest) => Promise<CrcResult>;
  }
}

/** As the engine hashes: one stretch through `hashParts` where the hasher has it, else per part. */
async function byParts(file: Blob, partSize: number, hasher: PartHasher): Promise<number> {
  const segments: Array<{ crc: number; length: number }> = [];
  if (hasher.hashParts) {
    await hasher.hashParts(file, partSize, (_i, crc, length) => segments.push({ crc, length }));
    return crc32cCombineAll(segments);
  }
  for (let off = 0; off < file.size; off += partSize) {
    const part = file.slice(off, Math.min(off + partSize, file.size));
    segments.push({ crc: await hasher.hash(part), length: part.size });
  }
  return crc32cCombineAll(segments);
}

/** The kernels mode's bytes, read once and kept between runs. */
let inMemory: Uint8Array | undefined;

async function compareKernels(file: Blob, pairs: number): Promise<CrcResult> {
  if (inMemory?.length !== file.size) inMemory = new Uint8Array(await file.arrayBuffer());
  const data = inMemory;
  const hashers = {
    wasm: await createCrc32c({ kernel: 'wasm' }),
    js: await createCrc32c({ kernel: 'js' }),
  };
  const kernelMs: Record<Crc32cKernel, number[]> = { wasm: [], js: [] };
  const crcs = new Set<number>();
  const chunk = 1024 * 1024;
  for (let p = 0; p < pairs; p++) {
    for (const kernel of p % 2 === 0 ? (['wasm', 'js'] as const) : (['js', 'wasm'] as const)) {
      const h = hashers[kernel];
      const t0 = performance.now();
      for (let off = 0; off < data.length; off += chunk) h.update(data.subarray(off, off + chunk));
      crcs.add(h.digest());
      kernelMs[kernel].push(performance.now() - t0);
    }
  }
  if (crcs.size !== 1) throw new Error(`the kernels disagree: ${[...crcs].join(', ')}`);
  return { ok: true, ms: 0, kernelMs, bytes: file.size, crc: [...crcs][0]! };
}

/** Reads the blob as the hasher does (BYOB into one reused buffer) and throws the bytes away. */
async function readOnly(file: Blob): Promise<CrcResult> {
  const t0 = performance.now();
  const reader = file.stream().getReader({ mode: 'byob' });
  let buffer = new ArrayBuffer(1024 * 1024);
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read(new Uint8Array(buffer));
    if (done) break;
    bytes += value.byteLength;
    buffer = value.buffer as ArrayBuffer;
  }
  if (bytes !== file.size) throw new Error(`read ${bytes} of ${file.size} bytes`);
  return { ok: true, ms: performance.now() - t0, bytes, crc: 0 };
}

window.benchCrc = async (req) => {
  const file = inputFile().slice(0, req.bytes);
  try {
    if (req.mode === 'kernels') return await compareKernels(file, req.pairs ?? 1);
    if (req.mode === 'read') return await readOnly(file);
    if (req.mode === 'whole') {
      const t0 = performance.now();
      const buf = new Uint8Array(await file.arrayBuffer());
      const t1 = performance.now();
      const crc = Number.parseInt(await crc32(buf, 0x82f63b78), 16) >>> 0;
      const t2 = performance.now();
      return { ok: true, ms: t2 - t0, readMs: t1 - t0, hashMs: t2 - t1, bytes: file.size, crc };
    }
    const hasher =
      req.mode === 'worker'
        ? createWorkerPartHasher(
            () => new Worker('/crc32c.worker.js', { type: 'module', name: 'atai-upload-crc32c' }),
          )
        : req.mode === 'worker-kernel'
          ? createWorkerPartHasher(
              () =>
                new Worker('/crc32c-kernel.worker.js', {
                  type: 'module',
                  name: [
                    'crc32c',
                    req.kernel ?? 'wasm',
                    ...(req.read ? [req.read, String(req.chunkBytes ?? 2 * 1024 * 1024)] : []),
                  ].join('-'),
                }),
            )
          : createInlinePartHasher();
    const t0 = performance.now();
    const crc = await byParts(file, req.partSize, hasher);
    const ms = performance.now() - t0;
    hasher.dispose();
    return { ok: true, ms, bytes: file.size, crc };
  } catch (e) {
    return {
      ok: false,
      ms: 0,
      bytes: file.size,
      crc: 0,
      error: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
    };
  }
};
window.benchReady = true;
