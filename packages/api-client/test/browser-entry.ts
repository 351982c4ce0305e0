// Bundled into a test page by cors.int.test.ts: the client as a browser app uses it.
import { createFilesApiClient, createPartUploader, isFilesApiError } from '../src/index.js';

async function tryUpload(apiUrl: string, apiKey: string, filename: string) {
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
    return { ok: true, etag, status: done.file_status };
  } catch (e) {
    await api.abortUpload(init.upload_id).catch(() => {});
    return isFilesApiError(e)
      ? { ok: false, code: e.code, message: e.message }
      : { ok: false, message: String(e) };
  }
}

(window as unknown as { atai: unknown }).atai = { tryUpload };
