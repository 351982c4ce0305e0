import { createCRC32, type IHasher } from 'hash-wasm';
import { CRC32C_POLYNOMIAL } from './combine.js';
import type { Crc32cHasher } from './types.js';

/**
 * A hasher on hash-wasm's WebAssembly CRC kernel, with its own WASM instance so hashers
 * can run side by side. Rejects where WebAssembly cannot be compiled: a CSP without
 * `'wasm-unsafe-eval'` makes `WebAssembly.compile()` throw a `CompileError`, and some
 * locked-down runtimes have no `WebAssembly` at all.
 */
export async function createWasmHasher(): Promise<Crc32cHasher> {
  const inner: IHasher = await createCRC32(CRC32C_POLYNOMIAL);
  inner.init();
  return {
    kernel: 'wasm',
    update(chunk) {
      inner.update(chunk);
    },
    digest() {
      const bytes = inner.digest('binary');
      inner.init();
      return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
    },
  };
}
