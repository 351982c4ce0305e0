import { describeFileTypes, type FileTypeRule, resolveFileType } from '@atai-upload/api-client';
import { UploadError } from './errors.js';
import { MAX_FILE_BYTES, type StartOptions } from './options.js';
import type { FileIdentity } from './types.js';

const GiB = 1024 ** 3;

/**
 * Checks a picked file before any request and names it as the API will know it: the
 * name, the size, the type to send (derived from the extension when the browser's is empty
 * or generic), the modification time. Bad input throws a typed, non-resumable
 * {@link UploadError}.
 */
export function fileIdentity(
  file: File | null | undefined,
  options: StartOptions,
  accepted: readonly FileTypeRule[],
): FileIdentity {
  const bad = (code: UploadError['code'], message: string) =>
    new UploadError(code, message, { resumable: false });
  if (!file) throw bad('no_file', 'No file was given to upload.');
  if (file.size === 0) throw bad('empty_file', `"${file.name}" is empty (0 bytes).`);
  if (file.size > MAX_FILE_BYTES) {
    throw bad(
      'file_too_large',
      `"${file.name}" is ${(file.size / GiB).toFixed(1)} GiB; the limit is 250 GiB (${MAX_FILE_BYTES.toLocaleString('en-US')} bytes).`,
    );
  }
  const name = options.name ?? file.name;
  if (options.type !== undefined && !accepted.some((r) => r.mime === options.type)) {
    throw bad(
      'unsupported_file_type',
      `The type ${options.type} is not one the API accepts. Accepted: ${describeFileTypes(accepted)}.`,
    );
  }
  const type = resolveFileType(name, options.type ?? file.type, accepted);
  if (!type.ok) throw bad('unsupported_file_type', type.reason);
  return { name, size: file.size, type: type.type, lastModified: file.lastModified };
}
