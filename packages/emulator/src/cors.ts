import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_AGE_SECONDS = '600';

function allowOrigin(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  // Echoing the origin (rather than `*`) keeps credentialed requests possible too.
  res.setHeader('Access-Control-Allow-Origin', origin ?? '*');
  res.setHeader('Vary', 'Origin');
}

function preflightHeaders(req: IncomingMessage, res: ServerResponse, methods: string): void {
  res.setHeader('Access-Control-Allow-Methods', methods);
  const requested = req.headers['access-control-request-headers'];
  res.setHeader('Access-Control-Allow-Headers', requested ?? 'Content-Type');
  res.setHeader('Access-Control-Max-Age', MAX_AGE_SECONDS);
  // Chrome's Private Network Access asks before a public page may reach loopback.
  if (req.headers['access-control-request-private-network'] === 'true') {
    res.setHeader('Access-Control-Allow-Private-Network', 'true');
  }
  res.setHeader('Vary', 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method');
}

/**
 * CORS headers every storage response carries (errors and 403s included):
 * without `Expose-Headers: ETag` a browser cannot read the part token.
 */
export function applyStorageCors(
  req: IncomingMessage,
  res: ServerResponse,
  exposeEtag: boolean,
): void {
  allowOrigin(req, res);
  if (exposeEtag) res.setHeader('Access-Control-Expose-Headers', 'ETag');
  if (req.method === 'OPTIONS') preflightHeaders(req, res, 'PUT, GET, OPTIONS');
}

/** CORS headers of the API origin (and the admin routes on it). */
export function applyApiCors(req: IncomingMessage, res: ServerResponse): void {
  allowOrigin(req, res);
  res.setHeader(
    'Access-Control-Expose-Headers',
    'Retry-After, Content-Length, Content-Disposition',
  );
  if (req.method === 'OPTIONS') preflightHeaders(req, res, 'GET, POST, PUT, OPTIONS');
}
