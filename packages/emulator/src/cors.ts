import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_AGE_SECONDS = '600';

function allowOrigin(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  // Echoing the origin (rather than `*`) keeps credentialed requests possible too.
  res.setHeader('Access-Control-Allow-Origin', origin ?? '*');
  res.setHeader('Vary', 'Origin');
}

function preflightHeaders(
  req: IncomingMessage,
  res: ServerResponse,
  methods: string,
  headers: string,
): void {
  res.setHeader('Access-Control-Allow-Methods', methods);
  res.setHeader('Access-Control-Allow-Headers', headers);
  res.setHeader('Access-Control-Max-Age', MAX_AGE_SECONDS);
  // Chrome's Private Network Access asks before a public page may reach loopback.
  if (req.headers['access-control-request-private-network'] === 'true') {
    res.setHeader('Access-Control-Allow-Private-Network', 'true');
  }
  res.setHeader('Vary', 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method');
}

/**
 * CORS headers of every storage response that is not a preflight (errors and 403s
 * included, unless opaque errors are on): without `Expose-Headers: ETag` a browser
 * cannot read the part token.
 */
export function applyStorageCors(
  req: IncomingMessage,
  res: ServerResponse,
  exposeEtag: boolean,
): void {
  allowOrigin(req, res);
  if (exposeEtag) res.setHeader('Access-Control-Expose-Headers', 'ETag');
}

/** Removes every CORS header already set: the browser then hides the whole response. */
export function stripCors(res: ServerResponse): void {
  for (const name of res.getHeaderNames()) {
    if (name.startsWith('access-control-') || name === 'vary') res.removeHeader(name);
  }
}

/** What a storage preflight gets. */
export type PreflightVerdict = { ok: true } | { ok: false; status: number; message: string };

/** The only request header a cross-origin part PUT may carry. */
const STORAGE_HEADER = 'content-type';

/**
 * Storage's CORS rule, as the contract states it: `PUT` with `Content-Type` and
 * nothing else. A preflight asking for `Authorization` (a client about to leak the
 * API key to storage) or any other header is refused, as S3 does.
 */
export function checkStoragePreflight(req: IncomingMessage): PreflightVerdict {
  const method = req.headers['access-control-request-method'];
  if (req.headers.origin === undefined || method === undefined) {
    return {
      ok: false,
      status: 400,
      message:
        'Insufficient information: a CORS preflight needs Origin and Access-Control-Request-Method',
    };
  }
  if (method.trim().toUpperCase() !== 'PUT') {
    return {
      ok: false,
      status: 403,
      message: `CORS preflight refused: storage allows PUT with Content-Type only, not ${method}`,
    };
  }
  const asked = (req.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
  const refused = asked.filter((h) => h !== STORAGE_HEADER);
  if (refused.length > 0) {
    return {
      ok: false,
      status: 403,
      message: `CORS preflight refused: storage allows PUT with Content-Type only; refused request header(s): ${refused.join(', ')}`,
    };
  }
  return { ok: true };
}

/** Headers of an accepted storage preflight. */
export function allowStoragePreflight(req: IncomingMessage, res: ServerResponse): void {
  allowOrigin(req, res);
  preflightHeaders(req, res, 'PUT', 'Content-Type');
}

/** CORS headers of the API origin (and the admin routes on it). */
export function applyApiCors(req: IncomingMessage, res: ServerResponse): void {
  allowOrigin(req, res);
  res.setHeader(
    'Access-Control-Expose-Headers',
    'Retry-After, Content-Length, Content-Disposition',
  );
  if (req.method === 'OPTIONS') {
    // The API takes Authorization and whatever the app adds: echo what is asked.
    const requested = req.headers['access-control-request-headers'];
    preflightHeaders(req, res, 'GET, POST, PUT, OPTIONS', requested ?? 'Content-Type');
  }
}
