/**
 * Reading an error body, whatever its shape. The Files API documents one envelope,
 * `{"errors": [{code, message, suggestion, error_uid}]}`; some older routes send
 * `{"detail": "…"}`; storage sends S3 XML; proxies and load balancers send anything.
 * Nothing here decides what to do about an error: that is by status, in errors.ts.
 */

/** One error of a Files API error response. Every field is optional: servers omit some. */
export interface FilesApiErrorDetail {
  /**
   * Machine-readable code exactly as the server sent it: usually snake_case
   * (`invalid_file_type`), UPPER_CASE on a few legacy routes (`NOT_FOUND`), an S3
   * code (`AccessDenied`) for storage.
   */
  code?: string;
  /** For people. */
  message?: string;
  /** How to fix it, when the server says. */
  suggestion?: string;
  /** `err-` + UUID: what a user quotes to support. */
  errorUid?: string;
}

/** What was found in an error body. */
export interface ParsedErrorBody {
  errors: FilesApiErrorDetail[];
  /** The body as text when it was not the documented envelope (bounded). */
  rawBody?: string;
}

/** Longest raw body kept, in characters: enough for an HTML error page's gist. */
export const MAX_RAW_BODY_CHARS = 2000;
/** Longest message, suggestion or code kept. */
const MAX_FIELD_CHARS = 1000;
/** Most errors kept from one response; a sane server sends a handful. */
const MAX_ERRORS = 100;

/** Cuts `text` to `max` characters, marking the cut. */
export function bounded(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more chars)`;
}

function str(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : bounded(trimmed, MAX_FIELD_CHARS);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Only the fields that are present, so `toEqual` and logs stay clean. */
function detail(
  code: string | undefined,
  message: string | undefined,
  suggestion: string | undefined,
  errorUid: string | undefined,
): FilesApiErrorDetail | undefined {
  const d: FilesApiErrorDetail = {};
  if (code !== undefined) d.code = code;
  if (message !== undefined) d.message = message;
  if (suggestion !== undefined) d.suggestion = suggestion;
  if (errorUid !== undefined) d.errorUid = errorUid;
  return Object.keys(d).length > 0 ? d : undefined;
}

/** One element of the `errors` array: an object as documented, or a bare string. */
function envelopeItem(item: unknown): FilesApiErrorDetail | undefined {
  if (typeof item === 'string') return detail(undefined, str(item), undefined, undefined);
  if (!isRecord(item)) return undefined;
  return detail(str(item.code), str(item.message), str(item.suggestion), str(item.error_uid));
}

/** FastAPI's validation list: `{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}`. */
function validationItem(item: unknown): FilesApiErrorDetail | undefined {
  if (!isRecord(item)) return detail(undefined, str(item), undefined, undefined);
  const where = Array.isArray(item.loc) ? item.loc.join('.') : undefined;
  const msg = str(item.msg) ?? str(item.message);
  return detail(str(item.type), where && msg ? `${where}: ${msg}` : msg, undefined, undefined);
}

function compact(items: ReadonlyArray<FilesApiErrorDetail | undefined>): FilesApiErrorDetail[] {
  return items.filter((i): i is FilesApiErrorDetail => i !== undefined).slice(0, MAX_ERRORS);
}

/**
 * A JSON object body. `documented` is true for the envelope and the legacy `detail`
 * shapes, which say all there is; a lone error object is a guess, so its raw text is kept.
 */
function fromObject(
  o: Record<string, unknown>,
): { errors: FilesApiErrorDetail[]; documented: boolean } | undefined {
  if (Array.isArray(o.errors)) {
    const errors = compact(o.errors.slice(0, MAX_ERRORS).map(envelopeItem));
    if (errors.length > 0) return { errors, documented: true };
  }
  // Legacy `{"detail": "…"}`; the emulator's old `{detail, error_code}` is read here too.
  if (typeof o.detail === 'string') {
    const d = detail(str(o.error_code) ?? str(o.code), str(o.detail), undefined, str(o.error_uid));
    if (d) return { errors: [d], documented: true };
  }
  if (Array.isArray(o.detail)) {
    const errors = compact(o.detail.slice(0, MAX_ERRORS).map(validationItem));
    if (errors.length > 0) return { errors, documented: true };
  }
  const lone = detail(
    str(o.code) ?? str(o.error_code),
    str(o.message) ?? str(o.error),
    str(o.suggestion),
    str(o.error_uid),
  );
  return lone ? { errors: [lone], documented: false } : undefined;
}

/** S3's `<Error><Code>…</Code><Message>…</Message>…</Error>`. */
function fromXml(text: string): FilesApiErrorDetail | undefined {
  if (!/<Error[\s>]/.test(text)) return undefined;
  const field = (name: string) =>
    str(new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1]?.replace(/&#?\w+;/g, xmlEntity));
  return detail(field('Code'), field('Message'), undefined, undefined);
}

const XML_ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&apos;': "'",
};

function xmlEntity(entity: string): string {
  const numeric = /^&#(\d{1,7});$/.exec(entity);
  const point = Number(numeric?.[1]);
  if (numeric && point <= 0x10ffff) return String.fromCodePoint(point);
  return XML_ENTITIES[entity] ?? entity;
}

function rawText(data: unknown): string | undefined {
  if (typeof data === 'string') return data.trim() === '' ? undefined : data;
  try {
    return JSON.stringify(data);
  } catch {
    return undefined;
  }
}

/**
 * Reads an error body. The documented envelope gives every error it holds; the
 * legacy `{"detail": …}` and a lone `{code, message}` give one; S3 XML gives its
 * code and message (and keeps the raw text); anything else only keeps the raw text,
 * bounded, for the developer.
 */
export function parseErrorBody(data: unknown): ParsedErrorBody {
  if (data === undefined || data === null || data === '') return { errors: [] };
  let value: unknown = data;
  if (typeof data === 'string') {
    const text = data.trim();
    // JSON that arrived as text (a `text` response type, or axios' silent parse failure).
    if (text.startsWith('{')) {
      try {
        value = JSON.parse(text) as unknown;
      } catch {
        // not JSON after all: kept as raw text below
      }
    }
  }
  if (isRecord(value)) {
    const found = fromObject(value);
    if (found?.documented) return { errors: found.errors };
    if (found)
      return { errors: found.errors, rawBody: bounded(rawText(data) ?? '', MAX_RAW_BODY_CHARS) };
  }
  const raw = rawText(data);
  if (raw === undefined) return { errors: [] };
  const xml = typeof value === 'string' ? fromXml(value) : undefined;
  return { errors: xml ? [xml] : [], rawBody: bounded(raw, MAX_RAW_BODY_CHARS) };
}
