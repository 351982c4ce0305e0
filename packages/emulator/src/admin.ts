import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from './context.js';
import {
  ApiError,
  isLoopback,
  parseJsonObject,
  readBody,
  sendApiError,
  sendJson,
} from './http-util.js';

/** Path prefix of the admin routes on the API port. */
export const ADMIN_PREFIX = '__emulator';

/** Hooks the admin routes need from the running emulator. */
export interface AdminHooks {
  reset(): Promise<void>;
}

/**
 * Handles `/__emulator/...`: no bearer token (a local demo page flips chaos
 * switches from the browser), but loopback callers only.
 */
export async function handleAdmin(
  ctx: EmulatorContext,
  hooks: AdminHooks,
  req: IncomingMessage,
  res: ServerResponse,
  segments: readonly string[],
): Promise<void> {
  try {
    if (!isLoopback(req.socket.remoteAddress)) {
      throw new ApiError(403, 'forbidden', 'Admin routes only answer loopback clients');
    }
    const method = req.method ?? 'GET';
    const [first, second, ...rest] = segments;
    const raw = await readBody(req, 1024 * 1024);
    if (first === 'state' && second === undefined && method === 'GET') {
      sendJson(res, 200, {
        faults: ctx.faults.get(),
        accounting: ctx.book.snapshot(),
        config: {
          partSize: ctx.config.partSize,
          integrity: ctx.config.integrity,
          fileTypes: ctx.config.fileTypes,
          apiUrl: ctx.apiUrl,
          storageUrl: ctx.storageUrl,
        },
      });
      return;
    }
    if (first === 'faults' && second === undefined) {
      if (method === 'GET') {
        sendJson(res, 200, ctx.faults.get());
        return;
      }
      if (method === 'PUT' || method === 'POST') {
        const patch = parseJsonObject(raw, true) ?? {};
        try {
          sendJson(res, 200, ctx.faults.set(patch));
        } catch (err) {
          throw new ApiError(400, 'invalid_faults', (err as Error).message);
        }
        return;
      }
    }
    if (first === 'accounting' && second === undefined && method === 'GET') {
      const url = new URL(req.url ?? '/', 'http://emulator');
      sendJson(
        res,
        200,
        url.searchParams.get('parts') === '0' ? ctx.book.totals() : ctx.book.snapshot(),
      );
      return;
    }
    if (first === 'uploads' && second !== undefined && rest.length === 0 && method === 'GET') {
      const snapshot = ctx.store.snapshot(second);
      if (!snapshot) throw new ApiError(404, 'upload_not_found', `Upload ${second} does not exist`);
      sendJson(res, 200, snapshot);
      return;
    }
    if (first === 'api-key' && second === undefined && method === 'PUT') {
      // Rotates the key, as an identity provider would: the old one is refused from now on.
      const key = parseJsonObject(raw, false)?.apiKey;
      if (typeof key !== 'string' || key.length === 0)
        throw new ApiError(400, 'invalid_api_key', 'Send {"apiKey": "<non-empty string>"}');
      ctx.apiKey = key;
      sendJson(res, 200, { rotated: true });
      return;
    }
    if (first === 'reset' && second === undefined && (method === 'POST' || method === 'PUT')) {
      await hooks.reset();
      sendJson(res, 200, { reset: true });
      return;
    }
    throw new ApiError(
      404,
      'not_found',
      `No admin route ${method} /${[ADMIN_PREFIX, ...segments].join('/')}`,
    );
  } catch (err) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendApiError(
      res,
      err instanceof ApiError ? err : new ApiError(500, 'internal_error', String(err)),
    );
  }
}
