/**
 * CRC-32C combine: the CRC of `A ‖ B` from `crc(A)`, `crc(B)` and `len(B)`,
 * without touching the bytes again. Same math as zlib's `crc32_combine`
 * (multiplication modulo the CRC polynomial by x^(8·len)), written for the
 * Castagnoli polynomial and for lengths beyond 2^32 (files up to 250 GB).
 */

/** Reflected Castagnoli polynomial. */
export const CRC32C_POLYNOMIAL = 0x82f63b78;

/** `a·b mod P` over GF(2), both in reflected form (bit 31 is x^0). */
function multModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  let bb = b >>> 0;
  for (;;) {
    if ((a & m) !== 0) {
      p ^= bb;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    bb = bb & 1 ? (bb >>> 1) ^ CRC32C_POLYNOMIAL : bb >>> 1;
  }
  return p >>> 0;
}

// X2N[k] = x^(2^k) mod P; 64 entries cover any length a JS number holds exactly.
const X2N: number[] = (() => {
  const table = new Array<number>(64);
  let p = 0x40000000; // x^1
  table[0] = p;
  for (let k = 1; k < 64; k++) {
    p = multModP(p, p);
    table[k] = p;
  }
  return table;
})();

/** x^(n·2^k) mod P, for a non-negative integer n (exact up to 2^53). */
function x2nModP(n: number, k: number): number {
  let p = 0x80000000; // x^0
  let rest = n;
  let i = k;
  while (rest > 0) {
    if (rest % 2 === 1) p = multModP(X2N[i % 64]!, p);
    rest = Math.floor(rest / 2);
    i++;
  }
  return p;
}

/**
 * CRC-32C of the concatenation of two blocks.
 * @param crcA - CRC-32C of the first block
 * @param crcB - CRC-32C of the second block
 * @param lengthB - byte length of the second block
 */
export function crc32cCombine(crcA: number, crcB: number, lengthB: number): number {
  if (!Number.isSafeInteger(lengthB) || lengthB < 0) {
    throw new RangeError(
      `crc32cCombine: lengthB must be a non-negative safe integer, got ${lengthB}`,
    );
  }
  return (multModP(x2nModP(lengthB, 3), crcA >>> 0) ^ (crcB >>> 0)) >>> 0;
}

/** A block's CRC and length, in file order. */
export interface Crc32cSegment {
  crc: number;
  length: number;
}

/**
 * Folds per-block CRCs (in file order) into the CRC of the whole. O(blocks · 64)
 * operations, independent of the byte count.
 */
export function crc32cCombineAll(segments: Iterable<Crc32cSegment>): number {
  let crc = 0;
  let first = true;
  for (const s of segments) {
    crc = first ? s.crc >>> 0 : crc32cCombine(crc, s.crc, s.length);
    first = false;
  }
  return crc;
}
