import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import * as v from 'valibot';
import { FilesApiError, type FilesApiRoute, toFilesApiError } from './errors.js';
import {
  type CheckpointResponse,
  CheckpointResponseSchema,
  type CompleteUploadRequest,
  type CompleteUploadResponse,
  CompleteUploadResponseSchema,
  type FileMetadata,
  FileMetadataSchema,
  type InitiateUploadRequest,
  type InitiateUploadResponse,
  InitiateUploadResponseSchema,
  type PartToken,
  type RefreshPartUrlsResponse,
  RefreshPartUrlsResponseSchema,
} from './wire.js';

/** Headers, or a function that produces them per request. */
export type HeadersInit =
  | Record<string, string>
  | ((route: FilesApiRoute) => Record<string, string> | Promise<Record<string, string>>);

/** What {@link FilesApiClientOptions.getAccessToken} is told about the last token. */
export interface AccessTokenHint {
  /** The API refused the last token (401): a fresh one is needed. */
  readonly refused: boolean;
}

/** Options of {@link createFilesApiClient}. */
export interface FilesApiClientOptions {
  /**
   * API base URL including the version, e.g. `https://api.u1.archetypeai.app/v0.5`, or a
   * same-origin proxy path such as `/api/v0.5` that adds the key server-side.
   */
  baseUrl: string;
  /** A static API key, sent as `Authorization: Bearer <key>`. Avoid shipping a production key to browsers. */
  apiKey?: string;
  /**
   * Called before every request for a bearer token (e.g. a short-lived token from your backend).
   * Takes precedence over `apiKey`. Omit both when a proxy adds credentials. When the API
   * answers 401, it is called again with `{ refused: true }` (the last token was refused:
   * refresh it, do not serve it from a cache) and the request is repeated once.
   */
  getAccessToken?: (route: FilesApiRoute, hint: AccessTokenHint) => string | Promise<string>;
  /** Extra headers on every API request (never on part PUTs). */
  headers?: HeadersInit;
  /** Per-request timeout in milliseconds. Default 60 000. */
  timeoutMs?: number;
  /** Bring your own axios instance (interceptors, adapters). A fresh one is created by default. */
  axiosInstance?: AxiosInstance;
}

/** Per-call options. */
export interface RequestOptions {
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number;
}

/** Typed calls to every upload route of the Files API. Every failure is a `FilesApiError`. */
export interface FilesApiClient {
  /** The normalised base URL (no trailing slash). */
  readonly baseUrl: string;
  /** `POST /files/uploads/initiate`. */
  initiateUpload(
    body: InitiateUploadRequest,
    options?: RequestOptions,
  ): Promise<InitiateUploadResponse>;
  /** `POST /files/uploads/{upload_id}/parts/urls`: fresh presigned URLs, same order as requested. */
  refreshPartUrls(
    uploadId: string,
    partNumbers: readonly number[],
    options?: RequestOptions,
  ): Promise<RefreshPartUrlsResponse>;
  /** `POST /files/uploads/{upload_id}/parts/checkpoint`. */
  checkpointParts(
    uploadId: string,
    parts: readonly PartToken[],
    options?: RequestOptions,
  ): Promise<CheckpointResponse>;
  /** `POST /files/uploads/{upload_id}/complete`. */
  completeUpload(
    uploadId: string,
    body: CompleteUploadRequest,
    options?: RequestOptions,
  ): Promise<CompleteUploadResponse>;
  /** `POST /files/uploads/{upload_id}/abort`. */
  abortUpload(uploadId: string, options?: RequestOptions): Promise<void>;
  /** `GET /files/metadata/{file_id}`; `file_id` is the file's name. */
  getFileMetadata(fileId: string, options?: RequestOptions): Promise<FileMetadata>;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Creates a Files API client.
 *
 * @example
 * ```ts
 * const api = createFilesApiClient({ baseUrl: 'http://127.0.0.1:4600/v0.5', apiKey: 'local-dev-key' });
 * const upload = await api.initiateUpload({ filename: 'a.csv', file_type: 'text/csv', num_bytes: 1024 });
 * ```
 */
export function createFilesApiClient(options: FilesApiClientOptions): FilesApiClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const http = options.axiosInstance ?? axios.create();
  const defaultTimeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function headersFor(
    route: FilesApiRoute,
    refused: boolean,
  ): Promise<Record<string, string>> {
    const extra =
      typeof options.headers === 'function'
        ? await options.headers(route)
        : (options.headers ?? {});
    const token = options.getAccessToken
      ? await options.getAccessToken(route, { refused })
      : options.apiKey;
    return token ? { ...extra, Authorization: `Bearer ${token}` } : { ...extra };
  }

  async function call<S extends v.GenericSchema>(
    route: FilesApiRoute,
    config: AxiosRequestConfig,
    schema: S,
    opts: RequestOptions | undefined,
  ): Promise<v.InferOutput<S>> {
    const send = async (refused: boolean) =>
      http.request({
        ...config,
        headers: {
          Accept: 'application/json',
          ...(await headersFor(route, refused)),
          ...(config.headers as Record<string, string>),
        },
        timeout: opts?.timeoutMs ?? defaultTimeout,
        signal: opts?.signal,
        responseType: 'json',
      });
    let data: unknown;
    try {
      try {
        data = (await send(false)).data;
      } catch (error) {
        // A token that expired mid-upload: ask for a fresh one and try once more.
        const refused = toFilesApiError(route, error);
        if (refused.code !== 'unauthorized' || !options.getAccessToken) throw refused;
        data = (await send(true)).data;
      }
    } catch (error) {
      throw toFilesApiError(route, error);
    }
    const parsed = v.safeParse(schema, data);
    if (!parsed.success) {
      const where = parsed.issues
        .slice(0, 3)
        .map((i) => `${v.getDotPath(i) ?? '(root)'}: ${i.message}`)
        .join('; ');
      throw new FilesApiError({
        code: 'invalid_response',
        route,
        status: 200,
        message: `The server's answer to ${route} does not match the Files API contract (${where})`,
      });
    }
    return parsed.output;
  }

  const uploadUrl = (uploadId: string, tail: string) =>
    `${baseUrl}/files/uploads/${encodeURIComponent(uploadId)}/${tail}`;
  const json = { 'Content-Type': 'application/json' };

  return {
    baseUrl,
    initiateUpload(body, opts) {
      return call(
        'initiate',
        { method: 'POST', url: `${baseUrl}/files/uploads/initiate`, data: body, headers: json },
        InitiateUploadResponseSchema,
        opts,
      );
    },
    refreshPartUrls(uploadId, partNumbers, opts) {
      return call(
        'refreshPartUrls',
        {
          method: 'POST',
          url: uploadUrl(uploadId, 'parts/urls'),
          data: { part_numbers: partNumbers },
          headers: json,
        },
        RefreshPartUrlsResponseSchema,
        opts,
      );
    },
    checkpointParts(uploadId, parts, opts) {
      return call(
        'checkpoint',
        {
          method: 'POST',
          url: uploadUrl(uploadId, 'parts/checkpoint'),
          data: { parts },
          headers: json,
        },
        CheckpointResponseSchema,
        opts,
      );
    },
    completeUpload(uploadId, body, opts) {
      return call(
        'complete',
        { method: 'POST', url: uploadUrl(uploadId, 'complete'), data: body, headers: json },
        CompleteUploadResponseSchema,
        opts,
      );
    },
    async abortUpload(uploadId, opts) {
      await call(
        'abort',
        { method: 'POST', url: uploadUrl(uploadId, 'abort'), data: {}, headers: json },
        v.unknown(),
        opts,
      );
    },
    getFileMetadata(fileId, opts) {
      return call(
        'metadata',
        { method: 'GET', url: `${baseUrl}/files/metadata/${encodeURIComponent(fileId)}` },
        FileMetadataSchema,
        opts,
      );
    },
  };
}
