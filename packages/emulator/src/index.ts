/**
 * `@atai-upload/emulator`: a faithful local emulator of the Archetype AI Files
 * API direct-to-cloud multipart upload flow (API origin, signed storage
 * origin, CORS, durability and fault injection).
 */
export { type CliArgs, CliUsageError, parseByteSize, parseCliArgs } from './cli-args.js';
export { DEFAULT_PART_SIZE, MAX_NUM_BYTES, SUPPORTED_FILE_TYPES } from './config.js';
export { DEFAULT_FAULTS } from './faults.js';
export { startEmulator } from './server.js';
export { storageFromEnv } from './storage/index.js';
export type {
  Accounting,
  DeepPartial,
  EmulatorOptions,
  FaultConfig,
  IntegrityAlgorithm,
  PartAccounting,
  RunningEmulator,
  S3StorageOptions,
  StorageKind,
  StorageOptions,
  UploadSnapshot,
  UploadStatus,
} from './types.js';
