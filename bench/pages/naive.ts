/**
 * What a naive app does: initiate, then PUT each part in turn with `fetch`
 * (a lazy `File.slice` body), then complete. No concurrency, no checksum.
 */
import { expose, rawApi } from './common.js';

expose(async (cfg, file) => {
  const t0 = performance.now();
  const init = await rawApi.initiate(cfg, file);
  const tokens: Array<{ part_number: number; part_token: string }> = [];
  for (const p of init.parts) {
    const res = await fetch(p.url, {
      method: 'PUT',
      body: file.slice(p.offset, p.offset + p.length),
    });
    if (!res.ok) throw new Error(`part ${p.part_number}: HTTP ${res.status}`);
    tokens.push({ part_number: p.part_number, part_token: res.headers.get('ETag') ?? '' });
  }
  const done = await rawApi.complete(cfg, init.upload_id, tokens);
  return {
    ok: done.file_status === 'Registered',
    ms: performance.now() - t0,
    bytes: file.size,
    uploadId: init.upload_id,
    fileName: done.file_name,
  };
});
