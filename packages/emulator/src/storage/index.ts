import type { UrlSigner } from '../signing.js';
import type { StorageKind, StorageOptions } from '../types.js';
import type { StorageBackend } from './backend.js';
import { OriginBackend } from './origin.js';
import { S3Backend } from './s3.js';

export type { StorageBackend } from './backend.js';

const KINDS: readonly StorageKind[] = ['local', 'discard', 's3'];

/**
 * The storage the environment asks for: `ATAI_EMULATOR_STORAGE` (`local`, `discard`, `s3`;
 * unset means `local`) and, for `s3`, `ATAI_S3_ENDPOINT`, `ATAI_S3_BUCKET`,
 * `ATAI_S3_ACCESS_KEY_ID`, `ATAI_S3_SECRET_ACCESS_KEY`, `ATAI_S3_REGION` and
 * `ATAI_S3_FORCE_PATH_STYLE` (`true`/`1`). `scripts/ceph-s3.sh start` prints exactly these.
 * Throws RangeError on an unknown kind or an `s3` without a bucket.
 */
export function storageFromEnv(env: Readonly<Record<string, string | undefined>>): StorageOptions {
  const kind = (env.ATAI_EMULATOR_STORAGE ?? '').trim() || 'local';
  if (!(KINDS as readonly string[]).includes(kind)) {
    throw new RangeError(`ATAI_EMULATOR_STORAGE must be one of ${KINDS.join(', ')}, got "${kind}"`);
  }
  if (kind !== 's3') return { kind: kind as 'local' | 'discard' };
  const bucket = env.ATAI_S3_BUCKET?.trim();
  if (!bucket) throw new RangeError('ATAI_EMULATOR_STORAGE=s3 needs ATAI_S3_BUCKET');
  const opt = (name: string) => env[name]?.trim() || undefined;
  const endpoint = opt('ATAI_S3_ENDPOINT');
  const region = opt('ATAI_S3_REGION');
  const accessKeyId = opt('ATAI_S3_ACCESS_KEY_ID');
  const secretAccessKey = opt('ATAI_S3_SECRET_ACCESS_KEY');
  return {
    kind: 's3',
    bucket,
    ...(endpoint ? { endpoint } : {}),
    ...(region ? { region } : {}),
    ...(accessKeyId ? { accessKeyId } : {}),
    ...(secretAccessKey ? { secretAccessKey } : {}),
    forcePathStyle: /^(1|true|yes)$/i.test(env.ATAI_S3_FORCE_PATH_STYLE ?? ''),
  };
}

/** The backend for these options; `origin` gives the emulator's storage origin once it listens. */
export function createBackend(
  options: StorageOptions,
  signer: UrlSigner,
  origin: () => string,
): StorageBackend {
  switch (options.kind) {
    case 'local':
    case 'discard':
      return new OriginBackend(options.kind, signer, origin);
    case 's3':
      if (!options.bucket) throw new RangeError('storage.bucket is required for s3 storage');
      return new S3Backend(options);
    default:
      throw new RangeError(`storage.kind must be one of ${KINDS.join(', ')}`);
  }
}
