import { MAX_PART_SIZE } from './config.js';
import { storageFromEnv } from './storage/index.js';
import type { EmulatorOptions, S3StorageOptions } from './types.js';

/** A command-line mistake; the CLI prints it and exits with status 2. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/** Parsed command line. */
export interface CliArgs {
  /** `--help` was given: print {@link CLI_USAGE} and exit 0. */
  help: boolean;
  /** `--verbose`: log every request to stderr. */
  verbose: boolean;
  /** `--faults FILE`: JSON file with a DeepPartial<FaultConfig>, read by the CLI. */
  faultsFile?: string;
  /** Options for startEmulator (without `faults` and `log`). */
  options: EmulatorOptions;
}

/** Text of `--help`. */
export const CLI_USAGE = `Usage: pnpm emulator [options]

Local emulator of the Archetype AI Files API direct-to-cloud multipart upload.
Prints one JSON line {"api": ..., "storage": ...} on stdout once both servers listen.

Options:
  --api-port N        API origin port (default 4600; 0 = any free port)
  --storage-port N    storage origin port (default 4601; 0 = any free port)
  --data-dir DIR      state directory (default ./.emulator-data)
  --part-size SIZE    server-chosen part size: bytes or 8MiB, 5MB, 512KiB ... (default 8MiB)
  --url-ttl S         presigned URL lifetime in seconds (default 3600)
  --integrity ALG     crc32c | none (default crc32c)
  --api-key KEY       the accepted bearer token (default local-dev-key)
  --file-types LIST   comma-separated MIME types initiate accepts
                      (default: the documented ones, see SUPPORTED_FILE_TYPES)
  --opaque-storage-errors
                      answer expired/badly signed part URLs with a 403 without CORS
                      headers, preflight included, as Ceph RGW 16 does
  --storage KIND      local (default) | discard (verify parts, keep no bytes) |
                      s3 (an S3-compatible bucket; the flags below or ATAI_S3_* variables)
  --s3-endpoint URL   e.g. http://127.0.0.1:7480 (default: AWS)
  --s3-bucket NAME    created if missing; its CORS rule is set at start
  --s3-region NAME    default us-east-1
  --s3-access-key-id KEY, --s3-secret-access-key SECRET
                      default: the AWS SDK's credential chain
  --s3-path-style     path-style URLs (endpoint/bucket/key), for self-hosted stores
  --faults FILE       JSON file with fault settings (partial FaultConfig)
  --verbose           log every request to stderr
  -h, --help          show this help
`;

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1000,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
};

/** Parses `8388608`, `8MiB`, `5MB`, `512k` (bare K/M/G are binary). */
export function parseByteSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = UNITS[(match?.[2] ?? '').toLowerCase()];
  if (!match?.[1] || unit === undefined) {
    throw new CliUsageError(`invalid size "${text}" (use bytes or a suffix such as 8MiB, 5MB)`);
  }
  const value = Number(match[1]) * unit;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new CliUsageError(`invalid size "${text}": must be a whole number of bytes ≥ 1`);
  }
  return value;
}

function parseInteger(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new CliUsageError(`${flag} expects an integer, got "${text}"`);
  const value = Number(text);
  if (value < min || value > max) {
    throw new CliUsageError(`${flag} must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

const VALUE_FLAGS = new Set([
  '--api-port',
  '--storage-port',
  '--data-dir',
  '--part-size',
  '--url-ttl',
  '--integrity',
  '--api-key',
  '--file-types',
  '--faults',
  '--storage',
  '--s3-endpoint',
  '--s3-bucket',
  '--s3-region',
  '--s3-access-key-id',
  '--s3-secret-access-key',
]);

/** What the `--s3-*` flags said, merged over the environment's storage at the end. */
type S3Flags = Partial<Omit<S3StorageOptions, 'kind'>>;

/**
 * Parses CLI arguments (without the node and script paths). Accepts
 * `--flag value` and `--flag=value`; throws {@link CliUsageError} on anything else.
 * Storage flags override what `env` says (`ATAI_EMULATOR_STORAGE`, `ATAI_S3_*`); with no
 * storage flag, `options.storage` stays unset and startEmulator reads the environment.
 */
export function parseCliArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): CliArgs {
  const result: CliArgs = { help: false, verbose: false, options: {} };
  const o = result.options;
  let kind: string | undefined;
  const s3: S3Flags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') {
      result.help = true;
      continue;
    }
    if (arg === '--verbose') {
      result.verbose = true;
      continue;
    }
    if (arg === '--opaque-storage-errors') {
      o.opaqueStorageErrors = true;
      continue;
    }
    if (arg === '--s3-path-style') {
      s3.forcePathStyle = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 && arg.startsWith('--') ? arg.slice(0, eq) : arg;
    if (!VALUE_FLAGS.has(flag)) throw new CliUsageError(`unknown option "${arg}"`);
    let value: string;
    if (eq > 0 && arg.startsWith('--')) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new CliUsageError(`${flag} needs a value`);
      }
      value = next;
      i++;
    }
    switch (flag) {
      case '--api-port':
        o.apiPort = parseInteger(flag, value, 0, 65535);
        break;
      case '--storage-port':
        o.storagePort = parseInteger(flag, value, 0, 65535);
        break;
      case '--data-dir':
        if (value === '') throw new CliUsageError('--data-dir needs a path');
        o.dataDir = value;
        break;
      case '--part-size': {
        const size = parseByteSize(value);
        if (size > MAX_PART_SIZE) {
          throw new CliUsageError(`--part-size must be at most ${MAX_PART_SIZE} bytes (5 GiB)`);
        }
        o.partSize = size;
        break;
      }
      case '--url-ttl':
        o.urlTtlSeconds = parseInteger(flag, value, 1, 7 * 24 * 3600);
        break;
      case '--integrity':
        if (value !== 'crc32c' && value !== 'none') {
          throw new CliUsageError(`--integrity must be crc32c or none, got "${value}"`);
        }
        o.integrity = value;
        break;
      case '--api-key':
        if (value === '') throw new CliUsageError('--api-key must not be empty');
        o.apiKey = value;
        break;
      case '--file-types': {
        const types = value
          .split(',')
          .map((t) => t.trim())
          .filter((t) => t !== '');
        const bad = types.find((t) => !/^[^/\s]+\/[^/\s]+$/.test(t));
        if (types.length === 0 || bad !== undefined) {
          throw new CliUsageError(
            `--file-types expects comma-separated MIME types such as text/csv,video/mp4, got "${value}"`,
          );
        }
        o.fileTypes = types;
        break;
      }
      case '--faults':
        result.faultsFile = value;
        break;
      case '--storage':
        if (value !== 'local' && value !== 'discard' && value !== 's3') {
          throw new CliUsageError(`--storage must be local, discard or s3, got "${value}"`);
        }
        kind = value;
        break;
      case '--s3-endpoint':
        s3.endpoint = value;
        break;
      case '--s3-bucket':
        s3.bucket = value;
        break;
      case '--s3-region':
        s3.region = value;
        break;
      case '--s3-access-key-id':
        s3.accessKeyId = value;
        break;
      case '--s3-secret-access-key':
        s3.secretAccessKey = value;
        break;
    }
  }
  if (kind !== undefined || Object.keys(s3).length > 0) {
    let fromEnv: ReturnType<typeof storageFromEnv>;
    try {
      fromEnv = storageFromEnv({ ...env, ...(kind ? { ATAI_EMULATOR_STORAGE: kind } : {}) });
    } catch (err) {
      // An s3 bucket may come from the flags alone.
      if (kind !== 's3' || !s3.bucket) throw new CliUsageError((err as Error).message);
      fromEnv = { kind: 's3', bucket: s3.bucket };
    }
    if (fromEnv.kind !== 's3') {
      if (Object.keys(s3).length > 0) throw new CliUsageError('--s3-* flags need --storage s3');
      o.storage = fromEnv;
    } else {
      o.storage = { ...fromEnv, ...s3 };
    }
  }
  if (o.apiPort !== undefined && o.apiPort !== 0 && o.apiPort === o.storagePort) {
    throw new CliUsageError('--api-port and --storage-port must differ');
  }
  return result;
}
