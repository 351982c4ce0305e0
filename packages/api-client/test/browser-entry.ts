// Bundled into a test page by cors.int.test.ts: the client as a browser app uses it.
import axios from 'axios';
import { createFilesApiClient, createPartUploader, isFilesApiError } from '../src/index.js';

type Outcome =
  | { ok: true; etag: string; status: string }
  | { ok: false; code?: string; status?: number; message: string };

function failure(e: unknown): Outcome {
  return isFilesApiError(e)
    ? {
        ok: false,
        code: e.code,
        ...(e.status === undefined ? {} : { status: e.status }),
        message: e.message,
      }
    : { ok: false, message: String(e) };
}

/**
 * A one-part upload with the kit. With `leakyDefaults`, the page first sets an
 * `Authorization` default on the global axios, as an app with an interceptor-free
 * auth setup might: the part uploader must still send nothing but the bytes.
 */
async function tryUpload(apiUrl: string, apiKey: string, filename: string, leakyDefaults = false) {
  if (leakyDefaults) axios.defaults.headers.common.Authorization = `Bearer ${apiKey}`;
  try {
    const api = createFilesApiClient({ baseUrl: apiUrl, apiKey });
    const put = createPartUploader();
    const body = new Blob(['hello from chromium']);
    const init = await api.initiateUpload({
      filename,
      file_type: 'text/plain',
      num_bytes: body.size,
    });
    try {
      const { etag } = await put.putPart({ url: init.parts[0]!.url, body });
      const done = await api.completeUpload(init.upload_id, {
        parts: [{ part_number: 0, part_token: etag }],
      });
      return { ok: true, etag, status: done.file_status } satisfies Outcome;
    } catch (e) {
      await api.abortUpload(init.upload_id).catch(() => {});
      return failure(e);
    }
  } finally {
    delete axios.defaults.headers.common.Authorization;
  }
}

/** A hand-written PUT that sends the API key to storage: the browser must refuse it. */
async function tryLeakingPut(apiUrl: string, apiKey: string, filename: string) {
  const api = createFilesApiClient({ baseUrl: apiUrl, apiKey });
  const init = await api.initiateUpload({ filename, file_type: 'text/plain', num_bytes: 2 });
  try {
    const res = await fetch(init.parts[0]!.url, {
      method: 'PUT',
      body: 'hi',
      headers: { Authorization: `Bearer ${apiKey}` },
    });
    return { sent: true, status: res.status };
  } catch (e) {
    return { sent: false, error: e instanceof TypeError ? 'TypeError' : String(e) };
  } finally {
    await api.abortUpload(init.upload_id).catch(() => {});
  }
}

/** The kit's PUT to a part URL whose signature was tampered with. */
async function tryTamperedPut(apiUrl: string, apiKey: string, filename: string) {
  const api = createFilesApiClient({ baseUrl: apiUrl, apiKey });
  const init = await api.initiateUpload({ filename, file_type: 'text/plain', num_bytes: 2 });
  try {
    const url = new URL(init.parts[0]!.url);
    url.searchParams.set('signature', '0'.repeat(64));
    await createPartUploader().putPart({ url: url.toString(), body: new Blob(['hi']) });
    return { ok: true } as const;
  } catch (e) {
    return failure(e);
  } finally {
    await api.abortUpload(init.upload_id).catch(() => {});
  }
}

(window as unknown as { atai: unknown }).atai = { tryUpload, tryLeakingPut, tryTamperedPut };
