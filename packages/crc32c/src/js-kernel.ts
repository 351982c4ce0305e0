/**
 * CRC-32C in plain JavaScript, slice-by-16: the kernel for pages whose CSP refuses
 * WebAssembly (no `'wasm-unsafe-eval'`), and the synchronous `crc32cSync`.
 *
 * Why slice-by-16: a byte-at-a-time table loop is one long dependency chain (each lookup
 * needs the register the previous byte produced), so the CPU waits on every load. Here
 * sixteen tables give the contribution of a byte followed by 0…15 more bytes, so one
 * iteration folds 16 bytes with 16 lookups that do not depend on one another and are
 * XORed together: only the first four depend on the register. 16 KiB of tables still
 * sit in the L1 cache. Measured in Chromium 156 on 1 MiB chunks (worker, interleaved
 * with hash-wasm, medians of paired runs on the busy 2-core CI machine): slice-by-16 with
 * word reads ran at 0.97–1.23× hash-wasm, slice-by-8 at 0.84–0.88×, and slice-by-16
 * reading bytes one by one at 0.64–0.89×.
 */
import { CRC32C_POLYNOMIAL } from './combine.js';
import type { Crc32cHasher } from './types.js';

/** The register before any byte: CRC-32C starts from all ones. */
export const JS_INITIAL_REGISTER = 0xffffffff;

/** Byte `j` of a 16-byte block goes through table `15 - j`, at offset `(15 - j) · 256`. */
const TABLES = 16;

/** Inputs shorter than this go byte by byte: a block pass costs a view and an alignment step. */
const BLOCK_PATH_MIN_BYTES = 64;

/**
 * True where a Uint32Array reads memory little-endian (every browser platform in use).
 * The word path relies on it; elsewhere the bytes are combined into words by hand.
 */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Table k, entry n (at `k · 256 + n`): the CRC register contribution of byte n followed
 * by k zero bytes. Filled on first use (see {@link fillTables}).
 *
 * Why a module-level `const` allocated at import, and read by name in the loops below:
 * V8 then embeds this one array, of known length 4096, in the optimized loop, and since
 * every index there is provably below 4096 it drops the bounds checks of all 16 lookups.
 * Read through a `let` or a parameter, the same loop ran at 0.68–0.92× of hash-wasm
 * instead of 0.95–1.13× (Chromium 156 worker, paired runs).
 */
const T = /* @__PURE__ */ new Uint32Array(256 * TABLES);
let filled = false;

/**
 * Computes the tables once, on first use rather than at import (a few thousand steps):
 * where WebAssembly runs, most pages never need them.
 */
function fillTables(): void {
  if (filled) return;
  const t = T;
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ CRC32C_POLYNOMIAL : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let k = 1; k < TABLES; k++) {
    for (let n = 0; n < 256; n++) {
      const prev = t[(k - 1) * 256 + n]!;
      // One more zero byte after it: shift the register by one byte through table 0.
      t[k * 256 + n] = (prev >>> 8) ^ t[prev & 0xff]!;
    }
  }
  filled = true;
}

/**
 * Feeds `data` into a CRC-32C register (not the final CRC: see {@link jsDigest}) and
 * returns the new register, as an unsigned 32-bit number.
 *
 * @param wordView - read 16-byte blocks through a Uint32Array view (the fast path on a
 *   little-endian host); false combines the bytes by hand. Tests force both.
 */
export function jsUpdate(register: number, data: Uint8Array, wordView = LITTLE_ENDIAN): number {
  fillTables();
  const t = T;
  const n = data.length;
  let c = register | 0;
  let i = 0;
  if (n >= BLOCK_PATH_MIN_BYTES) {
    // Byte by byte up to a 4-byte-aligned address, so a Uint32Array view can start there.
    const lead = (4 - (data.byteOffset & 3)) & 3;
    for (; i < lead; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
    const blocks = (n - i) >>> 4;
    c = wordView ? blocksByWords(c, data, i, blocks) : blocksByBytes(c, data, i, blocks);
    i += blocks * 16;
  }
  for (; i < n; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return c >>> 0;
}

/**
 * 16-byte blocks read as four little-endian words through a Uint32Array view: one
 * bounds-checked load per 4 bytes instead of four loads, shifts and ORs. `start` must
 * be 4-byte aligned in the underlying buffer.
 */
function blocksByWords(register: number, data: Uint8Array, start: number, blocks: number): number {
  const t = T;
  const w = new Uint32Array(data.buffer, data.byteOffset + start, blocks * 4);
  let c = register;
  for (let j = 0; j < w.length; j += 4) {
    const a = c ^ w[j]!;
    const b = w[j + 1]!;
    const d = w[j + 2]!;
    const e = w[j + 3]!;
    c =
      t[0xf00 + (a & 0xff)]! ^
      t[0xe00 + ((a >>> 8) & 0xff)]! ^
      t[0xd00 + ((a >>> 16) & 0xff)]! ^
      t[0xc00 + (a >>> 24)]! ^
      t[0xb00 + (b & 0xff)]! ^
      t[0xa00 + ((b >>> 8) & 0xff)]! ^
      t[0x900 + ((b >>> 16) & 0xff)]! ^
      t[0x800 + (b >>> 24)]! ^
      t[0x700 + (d & 0xff)]! ^
      t[0x600 + ((d >>> 8) & 0xff)]! ^
      t[0x500 + ((d >>> 16) & 0xff)]! ^
      t[0x400 + (d >>> 24)]! ^
      t[0x300 + (e & 0xff)]! ^
      t[0x200 + ((e >>> 8) & 0xff)]! ^
      t[0x100 + ((e >>> 16) & 0xff)]! ^
      t[e >>> 24]!;
  }
  return c;
}

/**
 * The same blocks without a view (any byte order): only the first four bytes meet the
 * register, so only they are combined into a word to XOR with it; the other twelve
 * are table indexes as they stand.
 */
function blocksByBytes(register: number, data: Uint8Array, start: number, blocks: number): number {
  const t = T;
  let c = register;
  const end = start + blocks * 16;
  for (let i = start; i < end; i += 16) {
    const a = c ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
    c =
      t[0xf00 + (a & 0xff)]! ^
      t[0xe00 + ((a >>> 8) & 0xff)]! ^
      t[0xd00 + ((a >>> 16) & 0xff)]! ^
      t[0xc00 + (a >>> 24)]! ^
      t[0xb00 + data[i + 4]!]! ^
      t[0xa00 + data[i + 5]!]! ^
      t[0x900 + data[i + 6]!]! ^
      t[0x800 + data[i + 7]!]! ^
      t[0x700 + data[i + 8]!]! ^
      t[0x600 + data[i + 9]!]! ^
      t[0x500 + data[i + 10]!]! ^
      t[0x400 + data[i + 11]!]! ^
      t[0x300 + data[i + 12]!]! ^
      t[0x200 + data[i + 13]!]! ^
      t[0x100 + data[i + 14]!]! ^
      t[data[i + 15]!]!;
  }
  return c;
}

/** The CRC-32C a register stands for: its bits inverted, unsigned. */
export function jsDigest(register: number): number {
  return ~register >>> 0;
}

/** A hasher on the JavaScript kernel. Never needs WebAssembly. */
export function createJsHasher(): Crc32cHasher {
  fillTables(); // now, so that the first update does not pay for it
  let register = JS_INITIAL_REGISTER;
  return {
    kernel: 'js',
    update(chunk) {
      register = jsUpdate(register, chunk);
    },
    digest() {
      const crc = jsDigest(register);
      register = JS_INITIAL_REGISTER;
      return crc;
    },
  };
}

/**
 * CRC-32C of `data`, synchronously, on the JavaScript kernel; `previous` continues
 * the CRC of earlier bytes (`crc32cSync(b, crc32cSync(a))` is the CRC of `a ‖ b`).
 */
export function crc32cSync(data: Uint8Array, previous = 0): number {
  return jsDigest(jsUpdate(~previous >>> 0, data));
}
