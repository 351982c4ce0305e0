import { MAX_PART_SIZE } from './config.js';
import type { EmulatorOptions } from './types.js';

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
]);

/**
 * Parses CLI arguments (without the node and script paths). Accepts
 * `--flag value` and `--flag=value`; throws {@link CliUsageError} on anything else.
 */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const result: CliArgs = { help: false, verbose: false, options: {} };
  const o = result.options;
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
    }
  }
  if (o.apiPort !== undefined && o.apiPort !== 0 && o.apiPort === o.storagePort) {
    throw new CliUsageError('--api-port and --storage-port must differ');
  }
  return result;
}
