// Runs in the page and in its worker under csp.int.test.ts: which kernel the package
// picks there, the CRC it computes, and what the CSP refused meanwhile.
import {
  type Crc32cKernel,
  crc32cKernel,
  crc32cOfBlob,
  createCrc32c,
  isCrc32cUnavailableError,
} from '../src/index.js';

export interface CspProbe {
  /** What `'auto'` picked. */
  kernel: Crc32cKernel;
  /** CRC-32C of `testBytes(length)` through `crc32cOfBlob` on that kernel. */
  crc: number;
  /** WebAssembly exists here: a refusal is then the CSP's doing, not a missing API. */
  hasWebAssembly: boolean;
  /** A forced WebAssembly hasher: 'ok', or the error it was refused with. */
  forcedWasm: { ok: true } | { ok: false; unavailable: boolean; name: string; message: string };
  /** `securitypolicyviolation` events seen in this realm. */
  violations: Array<{ directive: string; blocked: string }>;
}

/** Deterministic bytes, the same in Node and in the browser (a small LCG). */
export function testBytes(length: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  let s = 12_345;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

/** Called once per page or worker, before anything there touches WebAssembly. */
export async function probe(length: number): Promise<CspProbe> {
  const violations: CspProbe['violations'] = [];
  // `self` is the window on the page and the worker's global scope in the worker.
  self.addEventListener('securitypolicyviolation', (e) => {
    violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI });
  });
  const kernel = await crc32cKernel();
  const crc = await crc32cOfBlob(new Blob([testBytes(length)]));
  let forcedWasm: CspProbe['forcedWasm'] = { ok: true };
  try {
    await createCrc32c({ kernel: 'wasm' });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    forcedWasm = {
      ok: false,
      unavailable: isCrc32cUnavailableError(e),
      name: err.name,
      message: err.message,
    };
  }
  // Violation events are dispatched asynchronously: let them arrive.
  await new Promise((r) => setTimeout(r, 50));
  return {
    kernel,
    crc,
    hasWebAssembly: typeof WebAssembly === 'object',
    forcedWasm,
    violations,
  };
}
