import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createCrc32c } from '@atai-upload/crc32c';
import type { EmulatorContext } from './context.js';
import { allowStoragePreflight, checkStoragePreflight, stripCors } from './cors.js';
import type { PutFault } from './faults.js';
import { pathSegments, sendEmpty, sendXmlError, sleep } from './http-util.js';
import { partRange } from './part-urls.js';
import type { Upload } from './store.js';
import type { PartAccounting } from './types.js';

/** Bodies of rejected PUTs up to this size are read and discarded, so clients see the response. */
const DRAIN_LIMIT = 1024 * 1024 * 1024;

/** A PUT whose body is being received, keyed by socket for the `clientError` hook. */
interface ActivePut {
  origin: string | undefined;
  exposeEtag: boolean;
  responded: boolean;
}

const activePuts = new WeakMap<Duplex, ActivePut>();

/**
 * Node reports a body that ends before its Content-Length (the client
 * half-closed) as a parser `clientError`, not on the request. The route's read
 * loop then fails; here the client still gets the 400 it deserves.
 */
export function handleStorageClientError(err: Error, socket: Duplex): void {
  const put = activePuts.get(socket);
  const code = (err as NodeJS.ErrnoException).code;
  if (put && !put.responded && socket.writable && code !== 'ECONNRESET') {
    put.responded = true;
    const body =
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>IncompleteBody</Code>' +
      '<Message>The request body ended before the number of bytes in Content-Length</Message></Error>';
    const headers = [
      'HTTP/1.1 400 Bad Request',
      'Content-Type: application/xml',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
      `Access-Control-Allow-Origin: ${put.origin ?? '*'}`,
      'Vary: Origin',
      ...(put.exposeEtag ? ['Access-Control-Expose-Headers: ETag'] : []),
    ];
    socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
    return;
  }
  if (socket.writable && code !== 'ECONNRESET') {
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  } else {
    socket.destroy();
  }
}

/** Thrown inside the body loop to stop receiving with an XML error response. */
class PutRejection extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Reads and discards a request body, counting its bytes as received and wasted. */
async function drain(
  ctx: EmulatorContext,
  req: IncomingMessage,
  part?: PartAccounting,
): Promise<void> {
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      ctx.book.received(chunk.length, part);
      ctx.book.wasted(chunk.length);
    }
  } catch {
    // The client went away; nothing left to answer.
  }
}

/**
 * Rejects a PUT: small bodies are drained first so that clients which send the
 * whole body before reading (most do) see the status instead of a reset.
 */
async function rejectPut(
  ctx: EmulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  part?: PartAccounting,
  headers: OutgoingHttpHeaders = {},
): Promise<void> {
  if (req.method === 'PUT') {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared <= DRAIN_LIMIT) {
      await drain(ctx, req, part);
      if (res.destroyed) return;
    } else {
      // Unknown or huge length: answer now and let the connection go.
      headers.Connection = 'close';
    }
  }
  sendXmlError(res, status, code, message, headers);
}

function parsePartPath(pathname: string): { uploadId: string; partNumber: number } | undefined {
  const segments = pathSegments(pathname);
  if (segments?.length !== 3 || segments[0] !== 'parts') return undefined;
  const [, uploadId, part] = segments;
  if (uploadId === undefined || part === undefined || !/^\d{1,9}$/.test(part)) return undefined;
  return { uploadId, partNumber: Number(part) };
}

/** Whether a part URL's `expires` lies in the past (its signature is not checked). */
function isExpiredPartUrl(url: URL, nowMs = Date.now()): boolean {
  if (!parsePartPath(url.pathname)) return false;
  const expires = url.searchParams.get('expires');
  return expires !== null && /^\d{1,12}$/.test(expires) && nowMs > Number(expires) * 1000;
}

/**
 * Answers a CORS preflight on the storage origin. Allowed: `PUT` with at most
 * `Content-Type`. A refusal carries no CORS header, so the browser blocks the PUT
 * before any byte leaves (an API key in `Authorization` never reaches storage).
 * In opaque mode an expired URL's preflight is refused too, as Ceph RGW 16 does.
 */
export function handleStoragePreflight(
  ctx: EmulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): void {
  let refusal: { status: number; code: string; message: string } | undefined;
  if (ctx.faults.current.opaqueStorageErrors && isExpiredPartUrl(url)) {
    refusal = { status: 403, code: 'AccessDenied', message: 'Request has expired' };
  } else {
    const verdict = checkStoragePreflight(req);
    if (!verdict.ok) {
      const code = verdict.status === 403 ? 'AccessForbidden' : 'BadRequest';
      refusal = { status: verdict.status, code, message: verdict.message };
    }
  }
  if (refusal) {
    ctx.book.data.storagePreflightsRefused++;
    sendXmlError(res, refusal.status, refusal.code, refusal.message);
    return;
  }
  allowStoragePreflight(req, res);
  sendEmpty(res, 204);
}

/**
 * Handles a request on the storage origin (CORS, preflight, latency and
 * Authorization accounting already done): presigned part PUTs and GETs.
 */
export async function handleStorage(
  ctx: EmulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const method = req.method ?? 'GET';
  if (method === 'PUT') ctx.book.data.putRequests++;
  if (method !== 'PUT' && method !== 'GET') {
    await rejectPut(
      ctx,
      req,
      res,
      405,
      'MethodNotAllowed',
      `${method} is not allowed here`,
      undefined,
      {
        Allow: 'PUT, GET, OPTIONS',
      },
    );
    return;
  }
  const target = parsePartPath(url.pathname);
  if (!target) {
    await rejectPut(ctx, req, res, 404, 'NoSuchKey', 'The specified key does not exist.');
    return;
  }
  const { uploadId, partNumber } = target;
  const check = ctx.signer.verify(uploadId, partNumber, url.searchParams);
  if (!check.ok) {
    // Ceph RGW 16 sends this 403 without CORS headers: a browser sees a network error.
    if (ctx.faults.current.opaqueStorageErrors) stripCors(res);
    await rejectPut(ctx, req, res, 403, check.code, check.message);
    return;
  }
  if (ctx.faults.current.staleFirstLinks && isStaleFirstLink(ctx, uploadId, partNumber, url)) {
    if (ctx.faults.current.opaqueStorageErrors) stripCors(res);
    await rejectPut(ctx, req, res, 403, 'AccessDenied', 'Request has expired');
    return;
  }
  const upload = ctx.store.get(uploadId);
  if (upload?.status !== 'in_progress') {
    await rejectPut(
      ctx,
      req,
      res,
      404,
      'NoSuchUpload',
      'The specified multipart upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    );
    return;
  }
  if (partNumber >= upload.meta.numParts) {
    await rejectPut(ctx, req, res, 400, 'InvalidArgument', 'Part number is out of range');
    return;
  }
  if (method === 'GET') {
    await getPart(ctx, upload, partNumber, res);
    return;
  }
  await putPart(ctx, req, res, upload, partNumber);
}

async function getPart(
  ctx: EmulatorContext,
  upload: Upload,
  partNumber: number,
  res: ServerResponse,
): Promise<void> {
  const part = upload.parts.get(partNumber);
  const path = part && ctx.store.partPath(upload, part);
  if (!part || !path) {
    const message = part
      ? 'This part was verified but not kept.'
      : 'This part has not been uploaded.';
    sendXmlError(res, 404, 'NoSuchKey', message);
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': part.length,
    ETag: part.etag,
  });
  await pipeline(createReadStream(path), res);
}

async function putPart(
  ctx: EmulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  upload: Upload,
  partNumber: number,
): Promise<void> {
  const acc = ctx.book.part(upload.meta.uploadId, partNumber);
  acc.puts++;
  // Counted however the PUT ends, so `puts - ended` is what is on the wire right now.
  try {
    await handlePut(ctx, req, res, upload, partNumber, acc);
  } finally {
    acc.ended++;
  }
}

async function handlePut(
  ctx: EmulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  upload: Upload,
  partNumber: number,
  acc: PartAccounting,
): Promise<void> {
  const { length } = partRange(upload, partNumber);
  const rawLength = req.headers['content-length'];
  if (rawLength === undefined) {
    await rejectPut(
      ctx,
      req,
      res,
      411,
      'MissingContentLength',
      'You must provide the Content-Length HTTP header.',
      acc,
    );
    return;
  }
  const declared = Number(rawLength);
  if (declared !== length) {
    await rejectPut(
      ctx,
      req,
      res,
      400,
      'InvalidArgument',
      `Content-Length ${rawLength} does not match this part's length of ${length} bytes`,
      acc,
    );
    return;
  }

  const fault = ctx.faults.forPut(length);
  const injected = ctx.book.data.faultsInjected;
  if (fault.kind === '5xx') {
    injected.put5xx++;
    const codes: Record<number, [string, string]> = {
      500: ['InternalError', 'We encountered an internal error. Please try again.'],
      502: ['BadGateway', 'Bad gateway (injected by the emulator).'],
      503: [
        'ServiceUnavailable',
        'Service unavailable (injected by the emulator). Please try again.',
      ],
    };
    const [code, message] = codes[fault.status] ?? ['InternalError', 'Internal error'];
    await drain(ctx, req, acc);
    sendXmlError(res, fault.status, code, message, { Connection: 'close' });
    return;
  }
  if (fault.kind === '429') {
    injected.put429++;
    await drain(ctx, req, acc);
    sendXmlError(res, 429, 'SlowDown', 'Please reduce your request rate.', {
      Connection: 'close',
      'Retry-After': String(ctx.faults.current.retryAfterSeconds),
    });
    return;
  }
  if (fault.kind === 'corrupt') injected.putCorrupt++;

  const active: ActivePut = {
    origin: req.headers.origin,
    exposeEtag: ctx.faults.current.exposeEtag,
    responded: false,
  };
  activePuts.set(req.socket, active);
  try {
    await receivePart(ctx, req, res, upload, partNumber, length, fault, acc, active);
  } finally {
    if (activePuts.get(req.socket) === active) activePuts.delete(req.socket);
  }
}

async function receivePart(
  ctx: EmulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  upload: Upload,
  partNumber: number,
  length: number,
  fault: PutFault,
  acc: PartAccounting,
  active: ActivePut,
): Promise<void> {
  // Discard storage reads the body to the end and hashes it, but writes nothing.
  const temp = ctx.storage.kind === 'local' ? ctx.store.tempPath() : undefined;
  const out = temp === undefined ? undefined : createWriteStream(temp, { flags: 'wx' });
  // A write error (disk full, data dir reset mid-PUT) must fail this PUT, not the process.
  let writeError: Error | undefined;
  out?.on('error', (err) => {
    writeError = err;
  });
  const md5 = createHash('md5');
  const crc = await createCrc32c();
  const started = Date.now();
  let received = 0;
  let committed = false;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      let buf = chunk;
      if (fault.kind === 'drop' && received + buf.length > fault.afterBytes) {
        const kept = fault.afterBytes - received;
        ctx.book.received(kept, acc);
        received += kept;
        ctx.book.data.faultsInjected.putDrop++;
        active.responded = true;
        req.socket.destroy();
        return;
      }
      if (
        fault.kind === 'corrupt' &&
        fault.byteIndex >= received &&
        fault.byteIndex < received + buf.length
      ) {
        // Flipped before hashing: the ETag vouches for the bad bytes, only the whole-file CRC can tell.
        buf = Buffer.from(buf);
        const i = fault.byteIndex - received;
        buf[i] = (buf[i] ?? 0) ^ 0xff;
      }
      received += buf.length;
      ctx.book.received(buf.length, acc);
      if (received > length) {
        throw new PutRejection(
          400,
          'IncompleteBody',
          'The request body is longer than Content-Length',
        );
      }
      md5.update(buf);
      crc.update(buf);
      if (writeError) throw writeError;
      if (out && !out.write(buf)) await once(out, 'drain');
      await throttle(ctx, started, received);
    }
    if (received !== length) {
      throw new PutRejection(
        400,
        'IncompleteBody',
        `The request body ended after ${received} of ${length} bytes`,
      );
    }
    if (out) {
      out.end();
      if (!out.closed) await once(out, 'close');
    }
    if (writeError) throw writeError;
    const etag = `"${md5.digest('hex')}"`;
    const result = await ctx.store.commitPart(upload, partNumber, temp, {
      etag,
      crc32c: crc.digest(),
      length,
    });
    committed = true;
    if (!result.ok) {
      ctx.book.wasted(received);
      sendXmlError(
        res,
        404,
        'NoSuchUpload',
        `The upload was ${result.status.replace('_', ' ')} while this part was being sent.`,
      );
      return;
    }
    ctx.book.stored(length, result.replaced, acc);
    sendEmpty(res, 200, { ETag: etag });
  } catch (err) {
    if (!active.responded && !res.headersSent && !res.destroyed) {
      if (err instanceof PutRejection) {
        sendXmlError(res, err.status, err.code, err.message, { Connection: 'close' });
      } else {
        ctx.config.log?.(`emulator: PUT part ${partNumber} failed: ${String(err)}`);
        sendXmlError(
          res,
          500,
          'InternalError',
          'We encountered an internal error. Please try again.',
          {
            Connection: 'close',
          },
        );
      }
    }
  } finally {
    if (!committed) {
      ctx.book.wasted(received);
      out?.destroy();
      if (temp) await rm(temp, { force: true });
    }
  }
}

/** Per-connection bandwidth cap: not pulling from the request pauses the socket. */
async function throttle(ctx: EmulatorContext, started: number, received: number): Promise<void> {
  const rate = ctx.faults.current.bandwidthBytesPerSec;
  if (rate <= 0) return;
  const due = started + (received / rate) * 1000;
  const wait = due - Date.now();
  if (wait > 0) await sleep(wait);
}

/** The first link seen per part (by signature), for the `staleFirstLinks` fault. */
const firstLinks = new WeakMap<EmulatorContext, Map<string, string>>();

/** Whether this PUT presents the first link seen for its part (which the fault declares dead). */
function isStaleFirstLink(
  ctx: EmulatorContext,
  uploadId: string,
  partNumber: number,
  url: URL,
): boolean {
  let seen = firstLinks.get(ctx);
  if (!seen) {
    seen = new Map();
    firstLinks.set(ctx, seen);
  }
  const key = `${uploadId}/${partNumber}`;
  const signature = url.searchParams.get('signature') ?? '';
  const first = seen.get(key);
  if (first === undefined) {
    seen.set(key, signature);
    return true;
  }
  return first === signature;
}
