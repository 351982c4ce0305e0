/**
 * Web Worker: CRC-32C of part blobs, streamed through the crc32c kernel (WebAssembly, or
 * JavaScript where the page policy refuses WebAssembly), so the main thread never
 * reads file bytes for the checksum.
 */
import { crc32cOfBlob } from '@atai-upload/crc32c';
import type { HashReply, HashRequest } from './part-hasher.js';

// Typed narrowly instead of pulling in the WebWorker lib, which clashes with DOM.
const scope = self as unknown as {
  onmessage: ((ev: MessageEvent<HashRequest>) => void) | null;
  postMessage(message: HashReply): void;
};

scope.onmessage = async (ev: MessageEvent<HashRequest>) => {
  const { id, blob, chunkBytes } = ev.data;
  try {
    scope.postMessage({
      id,
      crc: await crc32cOfBlob(blob, { chunkSize: chunkBytes }),
    } satisfies HashReply);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    scope.postMessage({ id, error: { name: err.name, message: err.message } } satisfies HashReply);
  }
};
