import type { Crc32cKernel } from './types.js';

/** Why each kernel that was tried could not be created. */
export type Crc32cKernelFailures = Readonly<Partial<Record<Crc32cKernel, unknown>>>;

const PREFIX = 'the checksum could not be computed: ';

/**
 * No CRC-32C kernel could be created: with the `'auto'` choice both WebAssembly and
 * JavaScript failed; with a forced kernel, that kernel did. This is not a network or
 * file error, and retrying will not help on the same page.
 */
export class Crc32cUnavailableError extends Error {
  override readonly name = 'Crc32cUnavailableError';
  readonly code = 'checksum_unavailable';
  /** The error each kernel tried failed with. */
  readonly failures: Crc32cKernelFailures;

  constructor(failures: Crc32cKernelFailures) {
    const parts = (Object.keys(failures) as Crc32cKernel[]).map(
      (k) =>
        `the ${k === 'wasm' ? 'WebAssembly' : 'JavaScript'} kernel failed (${describe(failures[k])})`,
    );
    super(`${PREFIX}${parts.join('; ') || 'no kernel was tried'}`, {
      cause: failures.js ?? failures.wasm,
    });
    this.failures = failures;
  }
}

/**
 * True for a {@link Crc32cUnavailableError}, and for an error rebuilt from one that
 * crossed a worker boundary (a structured clone or a `{ name, message }` message keeps
 * the name but not the class).
 */
export function isCrc32cUnavailableError(
  error: unknown,
): error is Error & { name: 'Crc32cUnavailableError' } {
  return (
    error instanceof Crc32cUnavailableError ||
    (error instanceof Error && error.name === 'Crc32cUnavailableError')
  );
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
