import { Readable } from 'node:stream';
import { createCrc32c } from '@atai-upload/crc32c';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListPartsCommand,
  type ListPartsCommandOutput,
  PutBucketCorsCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl, S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import { ApiError } from '../http-util.js';
import { partRange } from '../part-urls.js';
import type { StoredFile, StoredPart, Upload, UploadMeta } from '../store.js';
import type { S3StorageOptions } from '../types.js';
import type { StorageBackend } from './backend.js';

/** Where an upload's UploadPart requests go: learnt from its first presigned URL. */
interface PartTarget {
  protocol: string;
  hostname: string;
  port: number | undefined;
  path: string;
}

/** S3 caps ListParts pages at 1,000 parts. */
const PAGE = 1000;

function isS3Error(err: unknown, ...names: string[]): boolean {
  return err instanceof S3ServiceException && names.includes(err.name);
}

/** A failure of the bucket as the API answers it: 502, with the store's own words. */
function storageError(action: string, err: unknown): ApiError {
  const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new ApiError(502, 'storage_error', `The object store refused ${action} (${detail})`, {
    suggestion: 'Retry; if this repeats, check the store the emulator runs on',
  });
}

/**
 * An S3-compatible bucket as the emulator's storage (AWS S3, Ceph RGW, MinIO...). Part URLs
 * are the bucket's presigned UploadPart URLs: browsers PUT to the store itself and meet its
 * real behaviour (CORS, expiry, ETags). API part numbers are 0-based, S3's 1-based: part n
 * here is PartNumber n + 1 there. The emulator never sees part bytes, so at complete it
 * streams the assembled object back to compute the whole-file CRC-32C (RGW 16 ignores
 * `x-amz-checksum-crc32c` on UploadPart, so the store cannot be asked for it).
 */
export class S3Backend implements StorageBackend {
  readonly kind = 's3';
  readonly ownOrigin = false;
  readonly origin: string | undefined;
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #corsOrigins: string[];
  readonly #presigner: S3RequestPresigner;
  readonly #targets = new WeakMap<Upload, Promise<PartTarget>>();

  constructor(options: S3StorageOptions) {
    // The SDK warns on every Node below 22 about its releases from 2027 on; this package
    // supports Node 20.19+ with the version it pins, so the warning would only be noise.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    this.#bucket = options.bucket;
    this.#prefix = options.keyPrefix ?? 'atai-emulator/';
    this.#corsOrigins = [...(options.corsOrigins ?? ['*'])];
    this.origin = options.endpoint?.replace(/\/+$/, '');
    this.#client = new S3Client({
      region: options.region ?? 'us-east-1',
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? false,
      ...(options.accessKeyId && options.secretAccessKey
        ? {
            credentials: {
              accessKeyId: options.accessKeyId,
              secretAccessKey: options.secretAccessKey,
            },
          }
        : {}),
      // No SDK-added checksums: presigned URLs must carry nothing a browser cannot send, and
      // S3-compatible stores (RGW 16) do not all understand the newer checksum headers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    this.#presigner = new S3RequestPresigner({ ...this.#client.config });
  }

  #key(fileUid: string): string {
    return `${this.#prefix}${fileUid}`;
  }

  async open(): Promise<void> {
    try {
      await this.#client.send(new CreateBucketCommand({ Bucket: this.#bucket }));
    } catch (err) {
      if (!isS3Error(err, 'BucketAlreadyOwnedByYou', 'BucketAlreadyExists')) throw err;
    }
    // What the contract asks of the storage origin: PUT with Content-Type, ETag readable.
    await this.#client.send(
      new PutBucketCorsCommand({
        Bucket: this.#bucket,
        CORSConfiguration: {
          CORSRules: [
            {
              AllowedOrigins: this.#corsOrigins,
              AllowedMethods: ['PUT'],
              AllowedHeaders: ['Content-Type'],
              ExposeHeaders: ['ETag'],
              MaxAgeSeconds: 600,
            },
          ],
        },
      }),
    );
  }

  async begin(meta: UploadMeta): Promise<string> {
    try {
      const out = await this.#client.send(
        new CreateMultipartUploadCommand({
          Bucket: this.#bucket,
          Key: this.#key(meta.fileUid),
          ContentType: meta.fileType,
        }),
      );
      if (!out.UploadId) throw new Error('CreateMultipartUpload returned no UploadId');
      return out.UploadId;
    } catch (err) {
      throw storageError('to start the upload', err);
    }
  }

  #uploadId(upload: Upload): string {
    const id = upload.meta.storageUploadId;
    if (!id) throw new Error(`upload ${upload.meta.uploadId} has no S3 upload id`);
    return id;
  }

  async partUrl(
    upload: Upload,
    partNumber: number,
    expires: number,
    dead: boolean,
  ): Promise<string> {
    const { length } = partRange(upload, partNumber);
    const command = new UploadPartCommand({
      Bucket: this.#bucket,
      Key: this.#key(upload.meta.fileUid),
      UploadId: this.#uploadId(upload),
      PartNumber: partNumber + 1,
      ContentLength: length,
    });
    // Content-Length is signed: a body of another length is refused (403) instead of the
    // store keeping whatever arrived, as RGW does when the declared length is shorter.
    const nowS = Math.floor(Date.now() / 1000);
    const expiresIn = Math.max(1, expires - nowS);
    const options = {
      expiresIn,
      signableHeaders: new Set(['content-length']),
      // A dead link (the staleFirstLinks fault) is signed as if issued a minute before it
      // would have expired: the store refuses it as expired while expires_at says fresh, as
      // with a skewed clock. The bucket's own answer is what the client meets.
      ...(dead ? { signingDate: new Date((nowS - expiresIn - 60) * 1000) } : {}),
    };
    let learnt = this.#targets.get(upload);
    if (!learnt) {
      // The SDK's full path (endpoint rules, path or virtual-host style) once per upload...
      learnt = getSignedUrl(this.#client, command, { expiresIn: 60 }).then((url) => {
        const parsed = new URL(url);
        return {
          protocol: parsed.protocol,
          hostname: parsed.hostname,
          port: parsed.port === '' ? undefined : Number(parsed.port),
          path: parsed.pathname,
        };
      });
      this.#targets.set(upload, learnt);
    }
    const target = await learnt;
    // ...then only the signature per part: getSignedUrl runs the whole middleware stack each
    // time (~8 ms on a busy 2-core machine, 4 minutes for a 32,000-part initiate); signing
    // the same request with another part number takes ~0.3 ms.
    const host = target.port === undefined ? target.hostname : `${target.hostname}:${target.port}`;
    const signed = await this.#presigner.presign(
      {
        method: 'PUT',
        protocol: target.protocol,
        hostname: target.hostname,
        ...(target.port === undefined ? {} : { port: target.port }),
        path: target.path,
        query: {
          'x-id': 'UploadPart',
          partNumber: String(partNumber + 1),
          uploadId: this.#uploadId(upload),
        },
        headers: { host, 'content-length': String(length) },
      },
      options,
    );
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(signed.query ?? {})) {
      if (typeof v === 'string') query.set(k, v);
    }
    return `${target.protocol}//${host}${target.path}?${query}`;
  }

  async #listPage(upload: Upload, marker: number, max: number): Promise<ListPartsCommandOutput> {
    try {
      return await this.#client.send(
        new ListPartsCommand({
          Bucket: this.#bucket,
          Key: this.#key(upload.meta.fileUid),
          UploadId: this.#uploadId(upload),
          PartNumberMarker: marker === 0 ? undefined : String(marker),
          MaxParts: max,
        }),
      );
    } catch (err) {
      throw storageError('to list the parts', err);
    }
  }

  /**
   * Lists the parts the bucket holds: all of them, or (a checkpoint's batch) only the pages
   * from the lowest to the highest part asked about, so a checkpoint costs one request.
   */
  async syncParts(upload: Upload, partNumbers?: readonly number[]): Promise<void> {
    const wanted = partNumbers === undefined ? undefined : new Set(partNumbers);
    let low = 0;
    let high = upload.meta.numParts - 1;
    if (wanted) {
      if (wanted.size === 0) return;
      low = Math.min(...wanted);
      high = Math.max(...wanted);
    }
    const seen = new Map<number, StoredPart>();
    let marker = low; // S3 numbers: parts after `marker`, i.e. from API part `low` on
    for (;;) {
      const page = await this.#listPage(upload, marker, Math.min(PAGE, high - marker + 1));
      for (const p of page.Parts ?? []) {
        if (p.PartNumber === undefined || p.ETag === undefined) continue;
        const n = p.PartNumber - 1;
        if (n >= low && n <= high) seen.set(n, { etag: p.ETag, length: p.Size ?? 0 });
      }
      const next = Number(page.NextPartNumberMarker ?? 0);
      if (!page.IsTruncated || next <= marker || next > high) break;
      marker = next;
    }
    for (let n = low; n <= high; n++) {
      if (wanted && !wanted.has(n)) continue;
      const part = seen.get(n);
      if (part) upload.parts.set(n, part);
      else upload.parts.delete(n);
    }
  }

  async assemble(upload: Upload, tokens: readonly string[], wantCrc: boolean) {
    const key = this.#key(upload.meta.fileUid);
    try {
      // RGW 16 answers with an empty ETag element here: nothing of the answer is used.
      await this.#client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.#bucket,
          Key: key,
          UploadId: this.#uploadId(upload),
          MultipartUpload: { Parts: tokens.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
        }),
      );
    } catch (err) {
      throw storageError('to assemble the object', err);
    }
    if (!wantCrc) return undefined;
    // Streamed back in chunks: the object never sits in memory.
    const crc = await createCrc32c();
    const body = await this.#get(key);
    if (!body) throw storageError('to read the assembled object back', 'NoSuchKey');
    for await (const chunk of body) crc.update(chunk as Uint8Array);
    return crc.digest();
  }

  async #get(key: string): Promise<Readable | undefined> {
    try {
      const out = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
      if (out.Body instanceof Readable) return out.Body;
      throw new Error('GetObject returned no Node.js stream');
    } catch (err) {
      if (isS3Error(err, 'NoSuchKey')) return undefined;
      throw storageError('to read the object', err);
    }
  }

  async dropObject(upload: Upload): Promise<void> {
    await this.#client.send(
      new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#key(upload.meta.fileUid) }),
    );
  }

  async abort(upload: Upload): Promise<void> {
    if (!upload.meta.storageUploadId) return;
    try {
      await this.#client.send(
        new AbortMultipartUploadCommand({
          Bucket: this.#bucket,
          Key: this.#key(upload.meta.fileUid),
          UploadId: upload.meta.storageUploadId,
        }),
      );
    } catch (err) {
      if (!isS3Error(err, 'NoSuchUpload')) throw storageError('to abort the upload', err);
    }
  }

  async read(file: StoredFile): Promise<Readable | undefined> {
    if (file.storage !== 's3' || file.status === 'Corrupt') return undefined;
    return this.#get(this.#key(file.fileUid));
  }

  async reset(uploads: readonly Upload[], files: readonly StoredFile[]): Promise<void> {
    for (const u of uploads) if (u.status === 'in_progress') await this.abort(u).catch(() => {});
    for (const f of files) {
      if (f.storage !== 's3') continue;
      await this.#client
        .send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#key(f.fileUid) }))
        .catch(() => {});
    }
  }

  close(): void {
    this.#client.destroy();
  }
}
