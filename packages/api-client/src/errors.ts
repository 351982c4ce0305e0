import { AxiosError, type AxiosResponse } from 'axios';
import { type FilesApiErrorDetail, parseErrorBody } from './error-body.js';

export type { FilesApiErrorDetail } from './error-body.js';

/** Which call an error came from. */
export type FilesApiRoute =
  | 'initiate'
  | 'refreshPartUrls'
  | 'checkpoint'
  | 'complete'
  | 'abort'
  | 'metadata'
  | 'partPut';

/**
 * What went wrong, in terms a caller can act on.
 * - `network`, `timeout`, `request_timeout` (408), `rate_limited` (429), `server_error` (500/502/503/504): transient, retry.
 * - `url_expired`: a part PUT got 403 (or S3's `TokenExpired`): refresh that part's URL.
 * - `upload_conflict`: initiate got 409, a different file with this name is being uploaded.
 * - `upload_completed`: abort got 409, the upload already completed.
 * - `integrity_mismatch`: the whole-file checksum did not match; the server marked the file Corrupt
 *   (recognised on complete by the server code's family, see {@link isIntegrityMismatchCode}).
 * - `missing_etag`: storage answered 2xx but its ETag header could not be read (CORS).
 * - `invalid_response`: the server's answer did not match the contract.
 */
export type FilesApiErrorCode =
  | 'network'
  | 'timeout'
  | 'aborted'
  | 'request_timeout'
  | 'rate_limited'
  | 'server_error'
  | 'unauthorized'
  | 'forbidden'
  | 'url_expired'
  | 'bad_request'
  | 'not_found'
  | 'upload_conflict'
  | 'upload_completed'
  | 'conflict'
  | 'integrity_mismatch'
  | 'missing_etag'
  | 'invalid_response'
  | 'http_error';

const RETRYABLE_CODES: ReadonlySet<FilesApiErrorCode> = new Set([
  'network',
  'timeout',
  'request_timeout',
  'rate_limited',
  'server_error',
]);

/** Statuses the contract names as transient. */
const RETRYABLE_5XX = new Set([500, 502, 503, 504]);

export interface FilesApiErrorInit {
  code: FilesApiErrorCode;
  route: FilesApiRoute;
  message: string;
  status?: number;
  retryAfterMs?: number;
  /** The server's machine code; defaults to the first error's `code`. */
  serverCode?: string;
  /** Every error the server sent (the envelope may carry several). */
  errors?: ReadonlyArray<FilesApiErrorDetail>;
  /** Defaults to the first `suggestion` among `errors`. */
  suggestion?: string;
  /** Defaults to the first `errorUid` among `errors`. */
  errorUid?: string;
  /** The response body as text when it was not the documented envelope (bounded). */
  rawBody?: string;
  cause?: unknown;
}

/**
 * The one error type of the client: every failure of every route, network or
 * HTTP or validation, arrives as a `FilesApiError`. `code` and `retryable` come
 * from the HTTP status (and a few server codes), never from the server's wording;
 * what the server said is kept in `errors`, `suggestion`, `errorUid` and `rawBody`,
 * and its messages are part of `message`.
 */
export class FilesApiError extends Error {
  override readonly name = 'FilesApiError';
  readonly code: FilesApiErrorCode;
  readonly route: FilesApiRoute;
  /** HTTP status, when a response arrived. */
  readonly status: number | undefined;
  /** Whether repeating the same request may succeed. */
  readonly retryable: boolean;
  /** Server-requested wait before retrying (from `Retry-After`). */
  readonly retryAfterMs: number | undefined;
  /** The server's machine code of the first error (`invalid_file_type`, `AccessDenied`, …). */
  readonly serverCode: string | undefined;
  /** Every error of the response, in order; empty when the body held none. */
  readonly errors: ReadonlyArray<FilesApiErrorDetail>;
  /** The server's hint on how to fix it (the first error's that has one). */
  readonly suggestion: string | undefined;
  /** `err-<uuid>` to quote to support (the first error's that has one). */
  readonly errorUid: string | undefined;
  /**
   * The body as text, cut at 2,000 characters, when it was not
   * the documented envelope or the legacy `{"detail"}`: S3 XML, an HTML page from a
   * proxy, unexpected JSON. For developers; undefined otherwise.
   */
  readonly rawBody: string | undefined;

  constructor(init: FilesApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.route = init.route;
    this.status = init.status;
    this.retryable = RETRYABLE_CODES.has(init.code);
    this.retryAfterMs = init.retryAfterMs;
    const errors = Object.freeze((init.errors ?? []).map((e) => Object.freeze({ ...e })));
    this.errors = errors;
    this.serverCode = init.serverCode ?? errors.find((e) => e.code)?.code;
    this.suggestion = init.suggestion ?? errors.find((e) => e.suggestion)?.suggestion;
    this.errorUid = init.errorUid ?? errors.find((e) => e.errorUid)?.errorUid;
    this.rawBody = init.rawBody;
  }
}

/** Type guard for {@link FilesApiError}. */
export function isFilesApiError(error: unknown): error is FilesApiError {
  return error instanceof FilesApiError;
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const ROUTE_LABEL: Record<FilesApiRoute, string> = {
  initiate: 'Initiate upload',
  refreshPartUrls: 'Refresh part URLs',
  checkpoint: 'Checkpoint parts',
  complete: 'Complete upload',
  abort: 'Abort upload',
  metadata: 'Get file metadata',
  partPut: 'Part upload',
};

/**
 * Whether a server code says "the checksum did not match, the file is corrupt". The
 * reference promises only an error, with no status or code: the family is recognised
 * by its words, case-insensitively (`integrity_checksum_mismatch`, the emulator's old
 * `integrity_mismatch`, `CHECKSUM_MISMATCH`, `crc32c_mismatch`, `file_corrupt`). A bad
 * or unexpected checksum *value* (`invalid_integrity_checksum`, `integrity_not_supported`)
 * is a plain bad request: the file was not marked Corrupt.
 */
export function isIntegrityMismatchCode(code: string): boolean {
  const c = code.toLowerCase();
  return c.includes('corrupt') || (/mismatch/.test(c) && /checksum|integrity|crc/.test(c));
}

function codeForStatus(
  status: number,
  route: FilesApiRoute,
  serverCodes: readonly string[],
): FilesApiErrorCode {
  // Retry decisions are by status alone: 408, 429 and the transient 5xx.
  if (status === 408) return 'request_timeout';
  if (status === 429) return 'rate_limited';
  if (RETRYABLE_5XX.has(status)) return 'server_error';
  if (status === 401) return 'unauthorized';
  if (route === 'partPut') {
    // S3 answers 403 for an expired signature and 400 TokenExpired for expired signing credentials.
    if (status === 403) return 'url_expired';
    if (status === 400 && serverCodes.some((c) => c.toLowerCase() === 'tokenexpired')) {
      return 'url_expired';
    }
  }
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  // Any 4xx of complete whose code is of the mismatch family: the file is now Corrupt.
  if (route === 'complete' && status < 500 && serverCodes.some(isIntegrityMismatchCode)) {
    return 'integrity_mismatch';
  }
  if (status === 409) {
    if (route === 'initiate') return 'upload_conflict';
    if (route === 'abort') return 'upload_completed';
    return 'conflict';
  }
  if (status === 400 || status === 422) return 'bad_request';
  return 'http_error';
}

function headline(code: FilesApiErrorCode, route: FilesApiRoute, status: number): string {
  const label = ROUTE_LABEL[route];
  switch (code) {
    case 'unauthorized':
      return `${label} was refused (401): the API key or token is missing or invalid`;
    case 'url_expired':
      return `${label} was refused (${status}): the presigned URL expired or its signature is invalid; request a fresh URL`;
    case 'upload_conflict':
      return `${label} failed (409): a different file with this name (different size or type) is already being uploaded`;
    case 'upload_completed':
      return `${label} failed (409): the upload has already completed and can no longer be aborted`;
    case 'integrity_mismatch':
      return `${label} failed (${status}): the whole-file checksum did not match what storage received, and the file was marked Corrupt`;
    case 'rate_limited':
      return `${label} was rate limited (429)`;
    case 'server_error':
      return `${label} failed with a server error (${status})`;
    default:
      return `${label} failed (${status})`;
  }
}

/** Ends a fragment with a full stop unless it already ends with punctuation. */
function sentence(text: string): string {
  return /[.!?…)]$/.test(text) ? text : `${text}.`;
}

/** First line of a raw body, whitespace collapsed, short: enough to recognise it in a log. */
function gist(raw: string): string {
  const flat = raw.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

/**
 * The human message: what failed, then what the server said (every error's message),
 * its suggestion, and the error id to quote to support.
 */
function describe(
  head: string,
  errors: readonly FilesApiErrorDetail[],
  rawBody: string | undefined,
  suggestion: string | undefined,
  errorUid: string | undefined,
): string {
  const said = [...new Set(errors.map((e) => e.message ?? e.code).filter((t) => t !== undefined))];
  let text = head;
  if (said.length > 0) text += `: ${said.map(sentence).join(' ')}`;
  else if (rawBody !== undefined) text += `: ${gist(rawBody)}`;
  if (suggestion !== undefined) text = `${sentence(text)} Suggestion: ${sentence(suggestion)}`;
  if (errorUid !== undefined) text += ` (error id ${errorUid})`;
  return text;
}

/** Builds the error for an HTTP response outside 2xx. */
export function errorFromResponse(
  route: FilesApiRoute,
  response: Pick<AxiosResponse, 'status' | 'data' | 'headers'>,
  cause?: unknown,
): FilesApiError {
  const { errors, rawBody } = parseErrorBody(response.data);
  const serverCodes = errors.flatMap((e) => (e.code === undefined ? [] : [e.code]));
  const code = codeForStatus(response.status, route, serverCodes);
  const suggestion = errors.find((e) => e.suggestion)?.suggestion;
  const errorUid = errors.find((e) => e.errorUid)?.errorUid;
  const headers = response.headers as Record<string, unknown>;
  return new FilesApiError({
    code,
    route,
    status: response.status,
    message: describe(
      headline(code, route, response.status),
      errors,
      rawBody,
      suggestion,
      errorUid,
    ),
    retryAfterMs: parseRetryAfter(headers['retry-after']),
    errors,
    ...(rawBody === undefined ? {} : { rawBody }),
    cause,
  });
}

/** Converts anything axios (or our own code) threw into a {@link FilesApiError}. */
export function toFilesApiError(route: FilesApiRoute, error: unknown): FilesApiError {
  if (error instanceof FilesApiError) return error;
  const label = ROUTE_LABEL[route];
  if (error instanceof AxiosError) {
    if (error.code === AxiosError.ERR_CANCELED) {
      return new FilesApiError({
        code: 'aborted',
        route,
        message: `${label} was cancelled`,
        cause: error,
      });
    }
    if (error.response) return errorFromResponse(route, error.response, error);
    if (error.code === AxiosError.ECONNABORTED || error.code === AxiosError.ETIMEDOUT) {
      return new FilesApiError({
        code: 'timeout',
        route,
        message: `${label} timed out`,
        cause: error,
      });
    }
    return new FilesApiError({
      code: 'network',
      route,
      message: `${label} failed: network error (${error.message || error.code || 'no response'})`,
      cause: error,
    });
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return new FilesApiError({
      code: 'aborted',
      route,
      message: `${label} was cancelled`,
      cause: error,
    });
  }
  return new FilesApiError({
    code: 'network',
    route,
    message: `${label} failed: ${error instanceof Error ? error.message : String(error)}`,
    cause: error,
  });
}
