import axios, { AxiosHeaders, type AxiosInstance } from 'axios';
import { FilesApiError, toFilesApiError } from './errors.js';

/** Options of {@link createPartUploader}. */
export interface PartUploaderOptions {
  /**
   * Abort a PUT when no upload progress was seen for this long (ms); the error is
   * a retryable `timeout`. A stall watchdog rather than a total timeout, because a
   * 400 MiB part on a slow link legitimately takes minutes. Default 120 000; 0 disables.
   */
  stallTimeoutMs?: number;
  /** Bring your own axios instance; credentials are stripped from it regardless. */
  axiosInstance?: AxiosInstance;
}

/** One part PUT. */
export interface PutPartInput {
  /** The presigned URL from initiate or refresh. */
  url: string;
  /** The part's bytes: a lazy `Blob`/`File` slice, streamed by the browser (never copied into memory). */
  body: Blob;
  signal?: AbortSignal;
  /** Called with the bytes of this attempt sent so far. */
  onProgress?: (loadedBytes: number) => void;
}

/** The result of a successful part PUT. */
export interface PutPartResult {
  /** The `ETag` header exactly as received, quotes included: the part's `part_token`. */
  etag: string;
}

/** Uploads parts to presigned storage URLs. Never sends credentials. */
export interface PartUploader {
  putPart(input: PutPartInput): Promise<PutPartResult>;
}

// Headers that must never reach storage, even if an app set them as axios defaults.
const CREDENTIAL_HEADERS = ['Authorization', 'Cookie', 'Proxy-Authorization', 'X-Api-Key'];

const DEFAULT_STALL_MS = 120_000;

/**
 * Creates the part PUT helper: its own axios instance, stripped of any
 * `Authorization` header (presigned URLs carry their own signature, and the API
 * key must never reach storage).
 */
export function createPartUploader(options: PartUploaderOptions = {}): PartUploader {
  const http = options.axiosInstance ?? axios.create();
  http.interceptors.request.use((config) => {
    const headers = AxiosHeaders.from(config.headers);
    for (const name of CREDENTIAL_HEADERS) headers.delete(name);
    config.headers = headers;
    config.withCredentials = false;
    return config;
  });
  const stallMs = options.stallTimeoutMs ?? DEFAULT_STALL_MS;

  return {
    async putPart({ url, body, signal, onProgress }) {
      signal?.throwIfAborted?.();
      const controller = new AbortController();
      const onOuterAbort = () => controller.abort(signal?.reason);
      signal?.addEventListener('abort', onOuterAbort, { once: true });
      let stalled = false;
      let watchdog: ReturnType<typeof setTimeout> | undefined;
      const arm = () => {
        if (stallMs <= 0) return;
        clearTimeout(watchdog);
        watchdog = setTimeout(() => {
          stalled = true;
          controller.abort();
        }, stallMs);
      };
      arm();
      try {
        const response = await http.request({
          method: 'PUT',
          url,
          data: body,
          signal: controller.signal,
          // Bytes as-is: no JSON transform, no Content-Type guessing.
          transformRequest: [(data) => data],
          responseType: 'text',
          maxBodyLength: Number.POSITIVE_INFINITY,
          maxContentLength: Number.POSITIVE_INFINITY,
          onUploadProgress: (e) => {
            arm();
            onProgress?.(e.loaded);
          },
        });
        const etag = (response.headers as Record<string, unknown>).etag;
        if (typeof etag !== 'string' || etag === '') {
          throw new FilesApiError({
            code: 'missing_etag',
            route: 'partPut',
            status: response.status,
            message:
              `Storage accepted the part (HTTP ${response.status}) but its ETag response header could not be read. ` +
              'The storage bucket must send "Access-Control-Expose-Headers: ETag" in its CORS configuration, ' +
              'otherwise browsers hide the header and the upload cannot be completed.',
          });
        }
        return { etag };
      } catch (error) {
        if (stalled && !signal?.aborted) {
          throw new FilesApiError({
            code: 'timeout',
            route: 'partPut',
            message: `Part upload stalled: no progress for ${Math.round(stallMs / 1000)} s`,
            cause: error,
          });
        }
        throw toFilesApiError('partPut', error);
      } finally {
        clearTimeout(watchdog);
        signal?.removeEventListener('abort', onOuterAbort);
      }
    },
  };
}
