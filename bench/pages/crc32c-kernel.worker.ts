/**
 * The engine's CRC worker with the kernel and the read forced, for the JS-vs-WASM and the
 * read-method rows of the CRC benchmark: the same messages as
 * `@atai-upload/engine/crc32c.worker` (so the engine's `createWorkerPartHasher` drives it) and
 * the same `crc32cOfBlob` / `crc32cOfBlobParts` calls, plus a `kernel`, a `read` and a chunk size taken from the
 * worker's name: `crc32c-<js|wasm>[-<stream|sync|slices>-<chunk bytes>]`. Served as
 * /crc32c-kernel.worker.js.
 */
import {
  type Crc32cBlobRead,
  type Crc32cKernel,
  crc32cOfBlob,
  crc32cOfBlobParts,
} from '@atai-upload/crc32c';

// Mirrors the engine's HashRequest / HashReply (part-hasher.ts), which it does not export
// (a benchmark pass is never cancelled, so no cancel message here).
type Request = { id: number; blob: Blob; chunkBytes: number; partSize?: number };
type Reply =
  | { id: number; crc: number }
  | { id: number; part: number; crc: number; length: number }
  | { id: number; error: { name: string; message: string } };

// Typed narrowly instead of pulling in the WebWorker lib, which clashes with DOM.
const scope = self as unknown as {
  name: string;
  onmessage: ((ev: MessageEvent<Request>) => void) | null;
  postMessage(message: Reply): void;
};

const [, kernelName, readName, chunkName] = scope.name.split('-');
const kernel: Crc32cKernel = kernelName === 'js' ? 'js' : 'wasm';
const read = (readName ?? 'auto') as Crc32cBlobRead;
const chunkOverride = chunkName ? Number(chunkName) : undefined;

scope.onmessage = async (ev) => {
  const { id, blob, chunkBytes, partSize } = ev.data;
  const options = { chunkSize: chunkOverride ?? chunkBytes, kernel, read };
  try {
    if (partSize === undefined) {
      scope.postMessage({ id, crc: await crc32cOfBlob(blob, options) });
      return;
    }
    await crc32cOfBlobParts(
      blob,
      partSize,
      (part, crc, length) => scope.postMessage({ id, part, crc, length }),
      options,
    );
    scope.postMessage({ id, crc: 0 });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    scope.postMessage({ id, error: { name: err.name, message: err.message } });
  }
};
