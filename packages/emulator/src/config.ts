import { resolve } from 'node:path';
import { DEFAULT_FAULTS, mergeFaults } from './faults.js';
import { storageFromEnv } from './storage/index.js';
import type { EmulatorOptions, FaultConfig, IntegrityAlgorithm, StorageOptions } from './types.js';

/**
 * MIME types accepted by initiate by default: exactly the ones the API reference
 * names. Anything else (`application/octet-stream` included, which the reference's
 * own error example refuses) gets 400 `invalid_file_type`. Configurable through
 * the `fileTypes` option and `--file-types`.
 */
export const SUPPORTED_FILE_TYPES: readonly string[] = Object.freeze([
  'image/jpeg',
  'image/png',
  'video/mp4',
  'text/csv',
  'text/plain',
  'application/json',
  'application/x-ndjson',
  'application/x-parquet',
]);

/** `type/subtype`, the shape every accepted file type must have. */
const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;

/** 250 GiB: the direct-to-cloud size limit. */
export const MAX_NUM_BYTES = 268_435_456_000;
/** Default server-chosen part size: 8 MiB. */
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
/**
 * Upper bound on parts per upload. A tiny configured part size must not let one
 * initiate allocate millions of URLs; uploads that would exceed it get a larger
 * part size (clients must honour `part_size` anyway).
 */
export const MAX_PARTS = 100_000;
/** Largest accepted part size (S3's limit). */
export const MAX_PART_SIZE = 5 * 1024 * 1024 * 1024;

/** Fully resolved options. */
export interface EmulatorConfig {
  apiPort: number;
  storagePort: number;
  dataDir: string;
  partSize: number;
  integrity: IntegrityAlgorithm;
  apiKey: string;
  /** What initiate accepts as `file_type`. */
  fileTypes: readonly string[];
  faults: FaultConfig;
  storage: StorageOptions;
  log: ((line: string) => void) | undefined;
}

function checkPort(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new RangeError(`${name} must be an integer between 0 and 65535, got ${value}`);
  }
  return value;
}

function checkFileTypes(types: readonly string[]): readonly string[] {
  if (!Array.isArray(types) || types.length === 0) {
    throw new RangeError('fileTypes must be a non-empty array of MIME types');
  }
  for (const type of types) {
    if (typeof type !== 'string' || !MIME_TYPE.test(type)) {
      throw new RangeError(`fileTypes: "${String(type)}" is not a MIME type (type/subtype)`);
    }
  }
  return Object.freeze([...new Set(types)]);
}

/** Applies defaults and validates; throws RangeError/TypeError on bad options. */
export function resolveConfig(options: EmulatorOptions = {}): EmulatorConfig {
  const partSize = options.partSize ?? DEFAULT_PART_SIZE;
  if (!Number.isSafeInteger(partSize) || partSize < 1 || partSize > MAX_PART_SIZE) {
    throw new RangeError(
      `partSize must be an integer between 1 and ${MAX_PART_SIZE}, got ${partSize}`,
    );
  }
  const integrity = options.integrity ?? 'crc32c';
  if (integrity !== 'crc32c' && integrity !== 'none') {
    throw new RangeError(`integrity must be 'crc32c' or 'none', got ${String(integrity)}`);
  }
  const apiKey = options.apiKey ?? 'local-dev-key';
  if (typeof apiKey !== 'string' || apiKey.length === 0) {
    throw new TypeError('apiKey must be a non-empty string');
  }
  const apiPort = checkPort('apiPort', options.apiPort ?? 4600);
  const storagePort = checkPort('storagePort', options.storagePort ?? 4601);
  if (apiPort !== 0 && apiPort === storagePort) {
    throw new RangeError('apiPort and storagePort must differ: they are separate origins');
  }
  const fileTypes = checkFileTypes(options.fileTypes ?? SUPPORTED_FILE_TYPES);
  // The options seed runtime-changeable fault knobs; an explicit fault value wins.
  const base: FaultConfig = {
    ...DEFAULT_FAULTS,
    urlTtlSeconds: options.urlTtlSeconds ?? DEFAULT_FAULTS.urlTtlSeconds,
    opaqueStorageErrors: options.opaqueStorageErrors ?? DEFAULT_FAULTS.opaqueStorageErrors,
  };
  const faults = mergeFaults(base, options.faults ?? {});
  return {
    apiPort,
    storagePort,
    dataDir: resolve(options.dataDir ?? resolve(process.cwd(), '.emulator-data')),
    partSize,
    integrity,
    apiKey,
    fileTypes,
    faults,
    storage: options.storage ?? storageFromEnv(process.env),
    log: options.log,
  };
}

/** The part size used for an upload of `numBytes`: the configured one unless that exceeds {@link MAX_PARTS}. */
export function effectivePartSize(configured: number, numBytes: number): number {
  if (Math.ceil(numBytes / configured) <= MAX_PARTS) return configured;
  const mib = 1024 * 1024;
  return Math.ceil(numBytes / MAX_PARTS / mib) * mib;
}
