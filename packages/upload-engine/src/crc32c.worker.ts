/**
 * Web Worker: CRC-32C of part blobs, streamed through the crc32c kernel (WebAssembly, or
 * JavaScript where the page policy refuses WebAssembly), so the main thread never
 * reads file bytes for the checksum. A request with `partSize` hashes a whole stretch of the
 * file from one Blob, answering per part (see `HashRequest`).
 */
import { crc32cOfBlob, crc32cOfBlobParts } from '@atai-upload/crc32c';
import type { HashReply, HashRequest } from './part-hasher.js';

// Typed narrowly instead of pulling in the WebWorker lib, which clashes with DOM.
const scope = self as unknown as {
  onmessage: ((ev: MessageEvent<HashRequest>) => void) | null;
  postMessage(message: HashReply): void;
};

/** Stretch requests being read, by id: a cancel aborts its read. */
const running = new Map<number, AbortController>();

scope.onmessage = async (ev: MessageEvent<HashRequest>) => {
  const req = ev.data;
  if ('cancel' in req) {
    running.get(req.id)?.abort();
    return;
  }
  const { id, blob, chunkBytes, partSize } = req;
  const controller = new AbortController();
  try {
    if (partSize === undefined) {
      scope.postMessage({ id, crc: await crc32cOfBlob(blob, { chunkSize: chunkBytes }) });
      return;
    }
    running.set(id, controller);
    await crc32cOfBlobParts(
      blob,
      partSize,
      (part, crc, length) => scope.postMessage({ id, part, crc, length }),
      { chunkSize: chunkBytes, signal: controller.signal },
    );
    scope.postMessage({ id, crc: 0 });
  } catch (e) {
    // A cancelled stretch owes no answer: the engine has moved on.
    if (controller.signal.aborted) return;
    const err = e instanceof Error ? e : new Error(String(e));
    scope.postMessage({ id, error: { name: err.name, message: err.message } });
  } finally {
    running.delete(id);
  }
};
