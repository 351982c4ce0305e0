export {
  CRC32C_POLYNOMIAL,
  type Crc32cSegment,
  crc32cCombine,
  crc32cCombineAll,
} from './combine.js';
export { crc32cFromBase64, crc32cToBase64, crc32cToHex } from './encoding.js';
export {
  type Crc32cKernelFailures,
  Crc32cUnavailableError,
  isCrc32cUnavailableError,
} from './errors.js';
export {
  type Crc32cBlobRead,
  type Crc32cOfBlobOptions,
  type Crc32cPartCallback,
  type CreateCrc32cOptions,
  crc32cKernel,
  crc32cOfBlob,
  crc32cOfBlobParts,
  createCrc32c,
} from './hasher.js';
export { crc32cSync } from './js-kernel.js';
export type { Crc32cHasher, Crc32cKernel, Crc32cKernelChoice } from './types.js';
