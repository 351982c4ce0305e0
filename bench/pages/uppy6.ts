/**
 * Uppy 6.x `@uppy/aws-s3` (the current release). 6.0 replaced the custom multipart
 * functions with one `signRequest` that returns a presigned S3 URL per request, and
 * sends the parts of one file one after another (`limit` counts files, not parts).
 * Mapping: CreateMultipartUpload → the page calls initiate and keeps the part URLs,
 * then points Uppy at a shim that answers with S3's XML; UploadPart → that part's
 * storage URL (Uppy counts from 1, the API from 0); CompleteMultipartUpload → the shim
 * turns Uppy's XML part list into the API's complete (src/lib/pages.ts).
 */
import AwsS3 from '@uppy/aws-s3';
import Uppy from '@uppy/core';
import { expose, type PresignedPart, rawApi } from './common.js';
import { mountProgress } from './progress-view.js';

const showProgress = mountProgress();

expose(async (cfg, file) => {
  const urls = new Map<string, PresignedPart[]>();
  let uploadId: string | undefined;
  const shim = (op: string, id: string) =>
    `${location.origin}/s3shim/${op}?${new URLSearchParams({ upload_id: id, key: cfg.name, api: cfg.apiUrl, apikey: cfg.apiKey })}`;
  const uppy = new Uppy({ autoProceed: false });
  uppy.use(AwsS3, {
    shouldUseMultipart: true,
    limit: cfg.concurrency,
    getChunkSize: () => cfg.partSize,
    generateObjectKey: () => cfg.name,
    async signRequest(req) {
      if (req.method === 'POST' && !('uploadId' in req)) {
        const init = await rawApi.initiate(cfg, file);
        if (init.part_size !== cfg.partSize) throw new Error('part size differs from the server');
        urls.set(init.upload_id, init.parts);
        uploadId = init.upload_id;
        return { url: shim('create', init.upload_id) };
      }
      if (req.method === 'PUT' && 'partNumber' in req) {
        const part = urls.get(req.uploadId)?.[req.partNumber - 1];
        if (!part) throw new Error(`no URL for part ${req.partNumber}`);
        return { url: part.url };
      }
      if (req.method === 'POST' && 'uploadId' in req)
        return { url: shim('complete', req.uploadId) };
      throw new Error(`unsupported request ${req.method}`);
    },
  });
  uppy.on('progress', (percent) => showProgress(percent / 100));
  uppy.addFile({ name: cfg.name, type: 'application/x-parquet', data: file });
  const t0 = performance.now();
  const result = await uppy.upload();
  const ms = performance.now() - t0;
  const ok = (result?.successful?.length ?? 0) === 1 && (result?.failed?.length ?? 0) === 0;
  const failed = result?.failed?.[0]?.error;
  uppy.destroy();
  return {
    ok,
    ms,
    bytes: file.size,
    fileName: cfg.name,
    ...(uploadId ? { uploadId } : {}),
    ...(failed ? { error: String(failed) } : {}),
  };
});
