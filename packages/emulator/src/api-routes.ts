import { timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EmulatorContext } from './context.js';
import {
  ApiError,
  parseJsonObject,
  readBody,
  sendApiError,
  sendEmpty,
  sendJson,
} from './http-util.js';
import { fileMetadataJson } from './metadata.js';
import type { StoredFile } from './store.js';
import { isUploadId } from './store.js';
import {
  abort,
  checkpoint,
  complete,
  initiate,
  type RouteResult,
  refreshUrls,
  uploadNotFound,
} from './upload-routes.js';

/** API version prefix of every route. */
export const API_PREFIX = 'v0.5';

// Complete with 100,000 tokens is ~7 MB of JSON; anything far beyond is a mistake.
const MAX_JSON_BODY = 32 * 1024 * 1024;

type Handler = (
  ctx: EmulatorContext,
  body: Record<string, unknown> | undefined,
  res: ServerResponse,
) => Promise<RouteResult | undefined> | RouteResult | undefined;

interface Route {
  method: 'GET' | 'POST';
  /** Whether the route reads a JSON body (and whether an empty one is fine). */
  body: 'required' | 'optional' | 'none';
  handler: Handler;
}

function need(body: Record<string, unknown> | undefined): Record<string, unknown> {
  // Routes marked 'required' always get a body; this only narrows the type.
  return body ?? {};
}

function uploadRoute(uploadId: string, action: string): Route | undefined {
  if (!isUploadId(uploadId)) {
    // Not an id we could have issued (ids are also directory names): unknown.
    return {
      method: 'POST',
      body: 'none',
      handler: () => {
        throw uploadNotFound(uploadId);
      },
    };
  }
  switch (action) {
    case 'parts/urls':
      return {
        method: 'POST',
        body: 'required',
        handler: (ctx, body) => refreshUrls(ctx, uploadId, need(body)),
      };
    case 'parts/checkpoint':
      return {
        method: 'POST',
        body: 'required',
        handler: (ctx, body) => checkpoint(ctx, uploadId, need(body)),
      };
    case 'complete':
      return {
        method: 'POST',
        body: 'required',
        handler: (ctx, body) => complete(ctx, uploadId, need(body)),
      };
    case 'abort':
      return { method: 'POST', body: 'optional', handler: (ctx) => abort(ctx, uploadId) };
    default:
      return undefined;
  }
}

/** Maps path segments after `/v0.5` to a route. */
function matchRoute(segments: readonly string[]): Route | undefined {
  const [a, b, c, ...rest] = segments;
  if (a !== 'files') return undefined;
  if (b === 'uploads' && c === 'initiate' && rest.length === 0) {
    return { method: 'POST', body: 'required', handler: (ctx, body) => initiate(ctx, need(body)) };
  }
  if (b === 'uploads' && c !== undefined && rest.length > 0) {
    return uploadRoute(c, rest.join('/'));
  }
  if (b === 'metadata' && c === undefined) {
    return { method: 'GET', body: 'none', handler: (ctx) => listFiles(ctx) };
  }
  if (b === 'metadata' && c !== undefined && rest.length === 0) {
    return { method: 'GET', body: 'none', handler: (ctx) => fileMetadata(ctx, c) };
  }
  if (b === 'download' && c !== undefined && rest.length === 0) {
    return { method: 'GET', body: 'none', handler: (ctx, _b, res) => download(ctx, c, res) };
  }
  return undefined;
}

function requireFile(ctx: EmulatorContext, fileId: string): StoredFile {
  const file = ctx.store.findFile(fileId);
  if (!file) {
    throw new ApiError(404, 'file_not_found', `No file named "${fileId}" exists`, {
      suggestion: 'file_id is the file name returned by complete (file_name)',
    });
  }
  return file;
}

function listFiles(ctx: EmulatorContext): RouteResult {
  const files = ctx.store.listFiles();
  return { status: 200, body: { files: files.map((f, i) => fileMetadataJson(f, i)) } };
}

function fileMetadata(ctx: EmulatorContext, fileId: string): RouteResult {
  const file = requireFile(ctx, fileId);
  return { status: 200, body: fileMetadataJson(file, ctx.store.listFiles().indexOf(file)) };
}

async function* concatFiles(paths: readonly string[]): AsyncGenerator<Buffer> {
  for (const path of paths) {
    for await (const chunk of createReadStream(path)) yield chunk as Buffer;
  }
}

async function download(
  ctx: EmulatorContext,
  fileId: string,
  res: ServerResponse,
): Promise<undefined> {
  const file = requireFile(ctx, fileId);
  // Files in the data dir stream part by part; others come from the storage backend.
  const body =
    file.storage === undefined
      ? Readable.from(concatFiles(ctx.store.filePartPaths(file)))
      : await ctx.storage.read(file);
  if (!body) {
    const why =
      file.storage === 'discard'
        ? 'the emulator ran with discard storage, which verifies parts and keeps no bytes'
        : 'its object was deleted when it failed the integrity check';
    throw new ApiError(
      410,
      'file_not_kept',
      `The bytes of "${file.fileName}" were not kept: ${why}`,
      {
        suggestion:
          'Its metadata is still served; run the emulator with local or s3 storage to keep bytes',
      },
    );
  }
  res.writeHead(200, {
    'Content-Type': file.fileType,
    'Content-Length': file.numBytes,
    'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
  });
  // Streamed: a multi-GB file never sits in memory.
  await pipeline(body, res);
  return undefined;
}

function authorized(ctx: EmulatorContext, header: string | undefined): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1].trim());
  const expected = Buffer.from(ctx.apiKey);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function injectFault(ctx: EmulatorContext): void {
  const fault = ctx.faults.forApi();
  const injected = ctx.book.data.faultsInjected;
  if (fault.kind === '5xx') {
    injected.api5xx++;
    const code = { 500: 'internal_error', 502: 'bad_gateway', 503: 'service_unavailable' };
    throw new ApiError(
      fault.status,
      code[fault.status as 500 | 502 | 503] ?? 'internal_error',
      `Injected fault: simulated HTTP ${fault.status} from the emulator (nothing was changed)`,
      { suggestion: 'Retry the request' },
    );
  }
  if (fault.kind === '429') {
    injected.api429++;
    const retryAfter = ctx.faults.current.retryAfterSeconds;
    throw new ApiError(
      429,
      'rate_limited',
      `Injected fault: too many requests (nothing was changed)`,
      {
        suggestion: `Retry after ${retryAfter} s`,
        headers: { 'Retry-After': String(retryAfter) },
      },
    );
  }
}

/**
 * Handles a request under `/v0.5` (CORS, preflight and latency already done):
 * auth, routing, body parsing, fault injection, then the operation.
 */
export async function handleApi(
  ctx: EmulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  segments: readonly string[],
): Promise<void> {
  try {
    if (!authorized(ctx, req.headers.authorization)) {
      const message = req.headers.authorization
        ? 'Invalid API key'
        : 'Missing Authorization header';
      throw new ApiError(401, 'unauthorized', message, {
        suggestion: 'Send "Authorization: Bearer <API key>" with a valid key',
        headers: { 'WWW-Authenticate': 'Bearer' },
      });
    }
    const route = matchRoute(segments);
    if (!route) {
      throw new ApiError(
        404,
        'not_found',
        `No route ${req.method} /${[API_PREFIX, ...segments].join('/')}`,
      );
    }
    if (req.method !== route.method) {
      throw new ApiError(405, 'method_not_allowed', `Use ${route.method} for this route`, {
        headers: { Allow: route.method },
      });
    }
    const raw = await readBody(req, MAX_JSON_BODY);
    // Injected before anything is parsed or applied, so a failed call has no side effects.
    injectFault(ctx);
    const body =
      route.body === 'none' ? undefined : parseJsonObject(raw, route.body === 'optional');
    const result = await route.handler(ctx, body, res);
    if (!result) return; // the handler streamed its own response
    if (result.body === undefined) sendEmpty(res, result.status);
    else sendJson(res, result.status, result.body);
  } catch (err) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err instanceof ApiError) {
      sendApiError(res, err);
      return;
    }
    ctx.config.log?.(`emulator: internal error on ${req.method} ${req.url}: ${String(err)}`);
    sendApiError(
      res,
      new ApiError(500, 'internal_error', `Internal emulator error: ${String(err)}`),
    );
  }
}
