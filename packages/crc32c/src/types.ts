/**
 * Which implementation computes the CRC: hash-wasm's WebAssembly kernel, or the
 * slice-by-16 JavaScript kernel that needs no WebAssembly (a strict CSP).
 */
export type Crc32cKernel = 'wasm' | 'js';

/** A kernel to use, or `'auto'`: WebAssembly where the page allows it, JavaScript otherwise. */
export type Crc32cKernelChoice = Crc32cKernel | 'auto';

/** Incremental CRC-32C over byte chunks. */
export interface Crc32cHasher {
  /** The kernel this hasher runs on. */
  readonly kernel: Crc32cKernel;
  update(chunk: Uint8Array): void;
  /** The CRC of everything passed to `update` so far; the hasher is reset afterwards. */
  digest(): number;
}
