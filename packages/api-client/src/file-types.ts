/**
 * The file types the Files API takes, with the extensions that name them. Browsers give
 * an empty or generic `File.type` for many data formats (`.parquet`, `.jsonl`, `.ndjson`),
 * and the API refuses `application/octet-stream`, so a client must derive the type from
 * the name.
 */
export interface FileTypeRule {
  /** The MIME type sent as `file_type`. */
  readonly mime: string;
  /** Lower-case extensions with their dot (`.csv`). */
  readonly extensions: readonly string[];
}

/** The types the API reference names (see the contract's file-type paragraph). */
export const DOCUMENTED_FILE_TYPES: readonly FileTypeRule[] = Object.freeze([
  { mime: 'image/jpeg', extensions: ['.jpg', '.jpeg'] },
  { mime: 'image/png', extensions: ['.png'] },
  { mime: 'video/mp4', extensions: ['.mp4'] },
  { mime: 'text/csv', extensions: ['.csv'] },
  { mime: 'text/plain', extensions: ['.txt'] },
  { mime: 'application/json', extensions: ['.json'] },
  { mime: 'application/x-ndjson', extensions: ['.jsonl', '.ndjson'] },
  { mime: 'application/x-parquet', extensions: ['.parquet'] },
]);

/** What {@link resolveFileType} decided. */
export type FileTypeVerdict =
  | { readonly ok: true; readonly type: string }
  | { readonly ok: false; readonly reason: string };

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

/**
 * The `file_type` to send for a file: its browser type when the API takes it, otherwise
 * the type its extension names (this also corrects `application/vnd.ms-excel` for a
 * `.csv` on Windows). A file whose type and extension are both outside `accepted` is
 * refused, with a reason that names what is accepted.
 */
export function resolveFileType(
  name: string,
  browserType: string,
  accepted: readonly FileTypeRule[] = DOCUMENTED_FILE_TYPES,
): FileTypeVerdict {
  const type = browserType.trim().toLowerCase();
  if (type && accepted.some((r) => r.mime === type)) return { ok: true, type };
  const ext = extensionOf(name);
  const byName = ext ? accepted.find((r) => r.extensions.includes(ext)) : undefined;
  if (byName) return { ok: true, type: byName.mime };
  const seen = type ? `type ${type}` : ext ? `extension ${ext}` : 'no extension';
  return {
    ok: false,
    reason: `"${name}" (${seen}) is not a file type the API accepts. Accepted: ${describeFileTypes(accepted)}.`,
  };
}

/** "text/csv (.csv), application/x-ndjson (.jsonl, .ndjson), …" for messages. */
export function describeFileTypes(accepted: readonly FileTypeRule[]): string {
  return accepted.map((r) => `${r.mime} (${r.extensions.join(', ')})`).join(', ');
}

/** The value for an `<input type="file" accept>`: every extension and MIME type. */
export function fileAcceptAttribute(
  accepted: readonly FileTypeRule[] = DOCUMENTED_FILE_TYPES,
): string {
  return accepted.flatMap((r) => [...r.extensions, r.mime]).join(',');
}
