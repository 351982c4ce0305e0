import { CRC32C_POLYNOMIAL } from './combine.js';

let table: Uint32Array | undefined;

/**
 * Plain table-driven CRC-32C in JavaScript: slow, dependency-free and
 * synchronous. Used as a cross-check in tests and where WebAssembly is not
 * allowed (a strict CSP); prefer {@link createCrc32c} for throughput.
 */
export function crc32cSync(data: Uint8Array, previous = 0): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ CRC32C_POLYNOMIAL : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = ~previous >>> 0;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}
