/**
 * Uppy 5.x `@uppy/aws-s3` (the last release with custom multipart functions; 6.x
 * removed them) against the emulator: createMultipartUpload → initiate (the part
 * URLs are kept), signPart → the URL of that part (Uppy counts parts from 1, the API
 * from 0), listParts → [], completeMultipartUpload → complete, abortMultipartUpload →
 * abort, getChunkSize → the server's part size so part boundaries match.
 */
import AwsS3, { type AwsS3MultipartOptions } from 'uppy5-aws-s3';
import Uppy, { type Meta } from 'uppy5-core';
import { expose, type PresignedPart, rawApi } from './common.js';
import { mountProgress } from './progress-view.js';

const showProgress = mountProgress();

expose(async (cfg, file) => {
  const urls = new Map<string, PresignedPart[]>();
  const uppy = new Uppy({ autoProceed: false });
  const options: AwsS3MultipartOptions<Meta, Record<string, never>> = {
    shouldUseMultipart: true,
    limit: cfg.concurrency,
    getChunkSize: () => cfg.partSize,
    async createMultipartUpload() {
      const init = await rawApi.initiate(cfg, file);
      if (init.part_size !== cfg.partSize) throw new Error('part size differs from the server');
      urls.set(init.upload_id, init.parts);
      return { uploadId: init.upload_id, key: cfg.name };
    },
    signPart(_file, { uploadId, partNumber }) {
      const part = urls.get(uploadId)?.[partNumber - 1];
      if (!part) throw new Error(`no URL for part ${partNumber}`);
      return { method: 'PUT' as const, url: part.url };
    },
    listParts: () => [],
    async completeMultipartUpload(_file, { uploadId, parts }) {
      const done = await rawApi.complete(
        cfg,
        uploadId,
        parts.map((p) => ({ part_number: (p.PartNumber ?? 0) - 1, part_token: p.ETag ?? '' })),
      );
      return { location: done.file_name };
    },
    async abortMultipartUpload(_file, { uploadId }) {
      if (uploadId) await rawApi.abort(cfg, uploadId);
    },
  };
  // Uppy 5's plugin types name `@uppy/core`, which TypeScript resolves to the Uppy 6 beside it
  // (the bundle gets Uppy 5's core, see src/lib/pages.ts): call `use` untyped.
  (uppy.use as (plugin: unknown, opts: unknown) => unknown)(AwsS3, options);
  uppy.on('progress', (percent) => showProgress(percent / 100));
  uppy.addFile({ name: cfg.name, type: 'application/x-parquet', data: file });
  const t0 = performance.now();
  const result = await uppy.upload();
  const ms = performance.now() - t0;
  const ok = (result?.successful?.length ?? 0) === 1 && (result?.failed?.length ?? 0) === 0;
  const failed = result?.failed?.[0]?.error;
  const uploadId = [...urls.keys()][0];
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
