import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccountingBook } from './accounting.js';
import { ADMIN_PREFIX, handleAdmin } from './admin.js';
import { API_PREFIX, handleApi } from './api-routes.js';
import { resolveConfig } from './config.js';
import type { EmulatorContext } from './context.js';
import { applyApiCors, applyStorageCors } from './cors.js';
import { FaultInjector } from './faults.js';
import {
  ApiError,
  pathSegments,
  sendApiError,
  sendEmpty,
  sendXmlError,
  sleep,
} from './http-util.js';
import { UrlSigner } from './signing.js';
import { createBackend } from './storage/index.js';
import {
  handleStorage,
  handleStorageClientError,
  handleStoragePreflight,
} from './storage-routes.js';
import { Store } from './store.js';
import type { DeepPartial, EmulatorOptions, FaultConfig, RunningEmulator } from './types.js';

const HOST = '127.0.0.1';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Wraps a handler: tracks it for close(), logs it, and turns a stray throw into a 500. */
function serve(
  name: string,
  handler: Handler,
  inFlight: Set<Promise<void>>,
  log: ((line: string) => void) | undefined,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const started = Date.now();
    if (log) {
      res.once('close', () => {
        const status = res.headersSent ? res.statusCode : 'aborted';
        log(`${name} ${req.method} ${req.url} -> ${status} ${Date.now() - started}ms`);
      });
    }
    const task = handler(req, res).catch((err: unknown) => {
      log?.(`emulator: unhandled error on ${req.method} ${req.url}: ${String(err)}`);
      if (!res.headersSent && !res.destroyed) {
        sendApiError(res, new ApiError(500, 'internal_error', 'Internal emulator error'));
      } else {
        res.destroy();
      }
    });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, HOST, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Starts the emulator: the API origin (`/v0.5` routes plus `/__emulator`
 * admin routes) and the storage origin serving presigned part URLs, both on
 * 127.0.0.1. State in `dataDir` from an earlier run is picked up.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const config = resolveConfig(options);
  await mkdir(config.dataDir, { recursive: true });
  const store = await Store.open(config.dataDir, config.log);
  const signer = await UrlSigner.open(config.dataDir);
  let storageUrl = '';
  const storage = createBackend(config.storage, signer, () => storageUrl);
  await storage.open();
  // With a bucket, the parts of unfinished uploads are wherever the bucket says: read them back
  // once, so a restarted emulator reports them as before (no-op for its own origin).
  for (const upload of store.allUploads()) {
    if (upload.status === 'in_progress') await storage.syncParts(upload);
  }
  const ctx: EmulatorContext = {
    config,
    store,
    signer,
    faults: new FaultInjector(config.faults),
    book: new AccountingBook(),
    storage,
    apiKey: config.apiKey,
    apiUrl: '',
    storageUrl: '',
  };
  const inFlight = new Set<Promise<void>>();

  const reset = async (): Promise<void> => {
    await store.flush();
    await storage.reset(store.allUploads(), store.listFiles());
    await store.reset();
    ctx.book.reset();
  };

  const apiHandler: Handler = async (req, res) => {
    applyApiCors(req, res);
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    const segments = pathSegments(url.pathname) ?? [];
    if (segments[0] === ADMIN_PREFIX) {
      if (req.method === 'OPTIONS') sendEmpty(res, 204);
      else await handleAdmin(ctx, { reset }, req, res, segments.slice(1));
      return;
    }
    await sleep(ctx.faults.current.latencyMs);
    if (req.method === 'OPTIONS') {
      sendEmpty(res, 204);
      return;
    }
    if (segments[0] === API_PREFIX) {
      await handleApi(ctx, req, res, segments.slice(1));
      return;
    }
    sendApiError(
      res,
      new ApiError(
        404,
        'not_found',
        `No route ${req.method} ${url.pathname}; the API lives under /${API_PREFIX}`,
      ),
    );
  };

  const storageHandler: Handler = async (req, res) => {
    const auth = req.headers.authorization;
    if (auth !== undefined) ctx.book.storageAuthorization(auth);
    ctx.book.storageRequestContext(req.headers.cookie, req.headers.referer);
    await sleep(ctx.faults.current.latencyMs);
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    if (req.method === 'OPTIONS') {
      handleStoragePreflight(ctx, req, res, url);
      return;
    }
    applyStorageCors(req, res, ctx.faults.current.exposeEtag);
    try {
      await handleStorage(ctx, req, res, url);
    } catch (err) {
      config.log?.(`emulator: storage error on ${req.method} ${req.url}: ${String(err)}`);
      if (!res.headersSent && !res.destroyed) {
        sendXmlError(res, 500, 'InternalError', 'We encountered an internal error.', {
          Connection: 'close',
        });
      } else {
        res.destroy();
      }
    }
  };

  const apiServer = createServer(serve('api', apiHandler, inFlight, config.log));
  const storageServer = createServer(serve('storage', storageHandler, inFlight, config.log));
  storageServer.on('clientError', handleStorageClientError);
  // Multi-GB parts under a bandwidth cap may take longer than Node's default 5-minute limit.
  apiServer.requestTimeout = 0;
  storageServer.requestTimeout = 0;

  let apiPort: number;
  let storagePort: number;
  try {
    apiPort = await listen(apiServer, config.apiPort);
    // With a bucket as storage the part URLs point at it: the own storage origin stays shut.
    storagePort = storage.ownOrigin ? await listen(storageServer, config.storagePort) : 0;
  } catch (err) {
    await Promise.all([stop(apiServer), stop(storageServer)]);
    storage.close();
    throw err;
  }
  ctx.apiUrl = `http://${HOST}:${apiPort}/${API_PREFIX}`;
  storageUrl = storage.ownOrigin
    ? `http://${HOST}:${storagePort}`
    : (storage.origin ?? 'https://s3.amazonaws.com');
  ctx.storageUrl = storageUrl;

  let closing: Promise<void> | undefined;
  return {
    apiUrl: ctx.apiUrl,
    storageUrl: ctx.storageUrl,
    adminUrl: `http://${HOST}:${apiPort}/${ADMIN_PREFIX}`,
    apiKey: config.apiKey,
    dataDir: config.dataDir,
    storage: storage.kind,
    getFaults: () => ctx.faults.get(),
    setFaults: (patch: DeepPartial<FaultConfig>) => ctx.faults.set(patch),
    accounting: () => ctx.book.snapshot(),
    upload: (uploadId: string) => store.snapshot(uploadId),
    reset,
    close() {
      closing ??= (async () => {
        await Promise.all([stop(apiServer), stop(storageServer)]);
        await Promise.allSettled([...inFlight]);
        await store.flush();
        storage.close();
      })();
      return closing;
    },
  };
}
