import { randomUUID } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** One entry of the documented error envelope, before it gets its `error_uid`. */
export interface ApiErrorItem {
  /** Machine-readable, lowercase snake_case as in the reference (`invalid_file_type`). */
  code: string;
  /** For people. */
  message: string;
  /** How to fix it, when there is something to say. */
  suggestion?: string;
}

/** Options of {@link ApiError}. */
export interface ApiErrorOptions {
  suggestion?: string;
  headers?: OutgoingHttpHeaders;
  /** Further errors of the same response (the envelope may carry several). */
  more?: readonly ApiErrorItem[];
}

/**
 * An API failure: its HTTP status and one or more errors, sent as the documented
 * `{"errors": [{code, message, suggestion, error_uid}]}` envelope.
 */
export class ApiError extends Error {
  readonly status: number;
  /** Code of the first error. */
  readonly code: string;
  readonly headers: OutgoingHttpHeaders;
  readonly items: readonly ApiErrorItem[];

  constructor(status: number, code: string, message: string, options: ApiErrorOptions = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.headers = options.headers ?? {};
    const first: ApiErrorItem =
      options.suggestion === undefined
        ? { code, message }
        : { code, message, suggestion: options.suggestion };
    this.items = [first, ...(options.more ?? [])];
  }

  /** One response carrying every item (at least one). */
  static several(status: number, items: readonly [ApiErrorItem, ...ApiErrorItem[]]): ApiError {
    const [first, ...more] = items;
    return new ApiError(status, first.code, first.message, {
      ...(first.suggestion === undefined ? {} : { suggestion: first.suggestion }),
      more,
    });
  }
}

/** A fresh `err-<uuid>`: every error the emulator sends can be told apart, as in the real API. */
export function newErrorUid(): string {
  return `err-${randomUUID()}`;
}

/** The wire body of an {@link ApiError}. */
export function errorEnvelope(err: ApiError): {
  errors: Array<{ code: string; message: string; suggestion?: string; error_uid: string }>;
} {
  return {
    errors: err.items.map((item) => ({
      code: item.code,
      message: item.message,
      ...(item.suggestion === undefined ? {} : { suggestion: item.suggestion }),
      error_uid: newErrorUid(),
    })),
  };
}

/** Sends a JSON body with an exact Content-Length. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Sends the contract's error envelope. */
export function sendApiError(res: ServerResponse, err: ApiError): void {
  sendJson(res, err.status, errorEnvelope(err), err.headers);
}

/** Sends a status with an empty body. */
export function sendEmpty(
  res: ServerResponse,
  status: number,
  headers: OutgoingHttpHeaders = {},
): void {
  res.writeHead(status, { ...headers, 'Content-Length': 0 });
  res.end();
}

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Sends an S3-style XML error, as cloud storage does. */
export function sendXmlError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: OutgoingHttpHeaders = {},
): void {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message></Error>`;
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/xml',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Reads a whole (small) request body; rejects with 413 past `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      throw new ApiError(413, 'payload_too_large', `Request body exceeds ${limit} bytes`, {
        headers: { Connection: 'close' },
      });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Parses a JSON object body. An empty body is `undefined` when `allowEmpty`,
 * else a 400, as are malformed JSON and non-object values.
 */
export function parseJsonObject(
  body: Buffer,
  allowEmpty = false,
): Record<string, unknown> | undefined {
  if (body.length === 0 || body.toString('utf8').trim() === '') {
    if (allowEmpty) return undefined;
    throw new ApiError(400, 'invalid_request', 'Request body must be a JSON object', {
      suggestion: 'Send a JSON object with Content-Type: application/json',
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ApiError(400, 'invalid_json', 'Request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError(400, 'invalid_request', 'Request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** Resolves after `ms` milliseconds (immediately for 0). */
export function sleep(ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether a socket's remote address is loopback (127.0.0.0/8 or ::1, IPv4-mapped included). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** Splits a URL path into decoded segments; undefined when a segment is malformed. */
export function pathSegments(pathname: string): string[] | undefined {
  try {
    return pathname
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}
