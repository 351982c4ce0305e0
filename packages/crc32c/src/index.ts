export {
  CRC32C_POLYNOMIAL,
  type Crc32cSegment,
  crc32cCombine,
  crc32cCombineAll,
} from './combine.js';
export { crc32cFromBase64, crc32cToBase64, crc32cToHex } from './encoding.js';
export {
  type Crc32cHasher,
  type Crc32cOfBlobOptions,
  crc32cOfBlob,
  createCrc32c,
} from './hasher.js';
export { crc32cSync } from './reference.js';
