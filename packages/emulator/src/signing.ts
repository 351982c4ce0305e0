import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './fs-util.js';

const SECRET_FILE = 'signing-secret.hex';

/** Result of checking a presigned URL's query. */
export type SignatureCheck =
  | { ok: true; expires: number }
  | { ok: false; code: 'SignatureDoesNotMatch' | 'AccessDenied'; message: string };

/** Signs and verifies presigned part URLs with HMAC-SHA256. */
export class UrlSigner {
  readonly #secret: Buffer;

  private constructor(secret: Buffer) {
    this.#secret = secret;
  }

  /**
   * Loads the secret from the data dir, creating it on first use. It persists
   * so that URLs issued before a restart stay valid after it.
   */
  static async open(dataDir: string): Promise<UrlSigner> {
    const path = join(dataDir, SECRET_FILE);
    try {
      const hex = (await readFile(path, 'utf8')).trim();
      if (/^[0-9a-f]{64}$/.test(hex)) return new UrlSigner(Buffer.from(hex, 'hex'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const secret = randomBytes(32);
    await writeFileAtomic(path, `${secret.toString('hex')}\n`);
    return new UrlSigner(secret);
  }

  /** Hex HMAC over `upload_id:part_number:expires`. */
  sign(uploadId: string, partNumber: number, expires: number): string {
    return createHmac('sha256', this.#secret)
      .update(`${uploadId}:${partNumber}:${expires}`)
      .digest('hex');
  }

  /** Checks signature first (a forged URL learns nothing about expiry), then expiry. */
  verify(
    uploadId: string,
    partNumber: number,
    query: URLSearchParams,
    nowMs = Date.now(),
  ): SignatureCheck {
    const expiresRaw = query.get('expires');
    const signature = query.get('signature');
    if (expiresRaw === null || signature === null || !/^\d{1,12}$/.test(expiresRaw)) {
      return {
        ok: false,
        code: 'AccessDenied',
        message: 'Query-string authentication requires the expires and signature parameters',
      };
    }
    const expires = Number(expiresRaw);
    const expected = Buffer.from(this.sign(uploadId, partNumber, expires), 'hex');
    const given = /^[0-9a-f]{64}$/i.test(signature)
      ? Buffer.from(signature, 'hex')
      : Buffer.alloc(0);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return {
        ok: false,
        code: 'SignatureDoesNotMatch',
        message: 'The request signature we calculated does not match the signature you provided',
      };
    }
    if (nowMs > expires * 1000) {
      return { ok: false, code: 'AccessDenied', message: 'Request has expired' };
    }
    return { ok: true, expires };
  }
}
