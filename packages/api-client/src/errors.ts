import { AxiosError, type AxiosResponse } from 'axios';

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
 * - `integrity_mismatch`: the whole-file checksum did not match; the server marked the file Corrupt.
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
  /** Server-provided machine code (`error_code`), when any. */
  serverCode?: string;
  cause?: unknown;
}

/**
 * The one error type of the client: every failure of every route, network or
 * HTTP or validation, arrives as a `FilesApiError`.
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
  readonly serverCode: string | undefined;

  constructor(init: FilesApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.route = init.route;
    this.status = init.status;
    this.retryable = RETRYABLE_CODES.has(init.code);
    this.retryAfterMs = init.retryAfterMs;
    this.serverCode = init.serverCode;
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

/** Pulls a human message and machine code out of whatever error body the server sent. */
function describeBody(data: unknown): { detail?: string; serverCode?: string } {
  if (typeof data === 'string') {
    const xml = /<Code>([^<]+)<\/Code>(?:[\s\S]*<Message>([^<]+)<\/Message>)?/.exec(data);
    if (xml) return { serverCode: xml[1], detail: xml[2] ?? xml[1] };
    return data.trim() ? { detail: data.trim().slice(0, 300) } : {};
  }
  if (data && typeof data === 'object') {
    const o = data as Record<string, unknown>;
    const detail = [o.detail, o.message, o.error].find((x) => typeof x === 'string') as
      | string
      | undefined;
    const code = [o.error_code, o.code].find((x) => typeof x === 'string') as string | undefined;
    if (detail !== undefined || code !== undefined)
      return { detail: detail ?? code, serverCode: code };
    if (Array.isArray(o.detail)) return { detail: JSON.stringify(o.detail).slice(0, 300) };
  }
  return {};
}

function codeForStatus(
  status: number,
  route: FilesApiRoute,
  serverCode: string | undefined,
  detail: string,
): FilesApiErrorCode {
  if (status === 408) return 'request_timeout';
  if (status === 429) return 'rate_limited';
  if (RETRYABLE_5XX.has(status)) return 'server_error';
  if (status === 401) return 'unauthorized';
  if (route === 'partPut') {
    // S3 answers 403 for an expired signature and 400 TokenExpired for expired signing credentials.
    if (status === 403 || (status === 400 && /TokenExpired/i.test(`${serverCode} ${detail}`))) {
      return 'url_expired';
    }
  }
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  // The server marks the file Corrupt on a checksum mismatch; recognise it by code, by 422, or by wording.
  if (
    route === 'complete' &&
    (serverCode === 'integrity_mismatch' || status === 422 || /corrupt/i.test(detail))
  ) {
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

function messageFor(
  code: FilesApiErrorCode,
  route: FilesApiRoute,
  status: number | undefined,
  detail: string | undefined,
): string {
  const label = ROUTE_LABEL[route];
  const suffix = detail ? `: ${detail}` : '';
  switch (code) {
    case 'unauthorized':
      return `${label} was refused (401): the API key or token is missing or invalid${suffix}`;
    case 'url_expired':
      return `${label} was refused (${status}): the presigned URL expired or its signature is invalid; request a fresh URL${suffix}`;
    case 'upload_conflict':
      return `${label} failed (409): a different file with this name (different size or type) is already being uploaded${suffix}`;
    case 'upload_completed':
      return `${label} failed (409): the upload has already completed and can no longer be aborted${suffix}`;
    case 'integrity_mismatch':
      return `${label} failed (${status}): the whole-file checksum did not match what storage received, and the file was marked Corrupt${suffix}`;
    case 'rate_limited':
      return `${label} was rate limited (429)${suffix}`;
    case 'server_error':
      return `${label} failed with a server error (${status})${suffix}`;
    default:
      return `${label} failed (${status ?? 'no response'})${suffix}`;
  }
}

/** Builds the error for an HTTP response outside 2xx. */
export function errorFromResponse(
  route: FilesApiRoute,
  response: Pick<AxiosResponse, 'status' | 'data' | 'headers'>,
  cause?: unknown,
): FilesApiError {
  const { detail, serverCode } = describeBody(response.data);
  const code = codeForStatus(response.status, route, serverCode, detail ?? '');
  const headers = response.headers as Record<string, unknown>;
  return new FilesApiError({
    code,
    route,
    status: response.status,
    message: messageFor(code, route, response.status, detail),
    retryAfterMs: parseRetryAfter(headers['retry-after']),
    serverCode,
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
