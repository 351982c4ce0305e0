/**
 * Which kernel a new hasher runs on. `'auto'` tries hash-wasm's WebAssembly kernel and,
 * if it cannot be created, falls back to the JavaScript kernel, and remembers that: a
 * refused compile is not retried for every part (under a CSP each attempt would also
 * log a violation and send a report). A JavaScript failure as well ends in
 * {@link Crc32cUnavailableError}.
 */
import { type Crc32cKernelFailures, Crc32cUnavailableError } from './errors.js';
import type { Crc32cHasher, Crc32cKernel, Crc32cKernelChoice } from './types.js';

/** How each kernel's hashers are made (injected in tests to make one fail). */
export interface KernelFactories {
  wasm(): Promise<Crc32cHasher>;
  js(): Crc32cHasher;
}

export interface KernelSelector {
  /** A new hasher on the chosen kernel; rejects with {@link Crc32cUnavailableError}. */
  create(choice: Crc32cKernelChoice): Promise<Crc32cHasher>;
  /** The kernel `'auto'` settled on by its last hasher; undefined before the first. */
  readonly auto: Crc32cKernel | undefined;
}

export function createKernelSelector(factories: KernelFactories): KernelSelector {
  let auto: Crc32cKernel | undefined;
  // Boxed: whatever was thrown, even `undefined`, counts as a failure.
  let wasmFailed: { error: unknown } | undefined;

  const wasm = async (): Promise<Crc32cHasher> => {
    try {
      return await factories.wasm();
    } catch (error) {
      wasmFailed = { error };
      throw error;
    }
  };
  const js = (earlier: Crc32cKernelFailures): Crc32cHasher => {
    try {
      return factories.js();
    } catch (error) {
      throw new Crc32cUnavailableError({ ...earlier, js: error });
    }
  };

  return {
    get auto() {
      return auto;
    },
    async create(choice) {
      if (choice === 'js') return js({});
      if (choice === 'wasm') {
        try {
          return await wasm();
        } catch (error) {
          throw new Crc32cUnavailableError({ wasm: error });
        }
      }
      if (!wasmFailed) {
        try {
          const hasher = await wasm();
          auto = 'wasm';
          return hasher;
        } catch {
          // Remembered in wasmFailed; JavaScript from now on.
        }
      }
      const hasher = js({ wasm: wasmFailed?.error });
      auto = 'js';
      return hasher;
    },
  };
}
