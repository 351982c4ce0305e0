import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** 26 lowercase base36 characters, uniformly drawn (bytes ≥ 252 are rejected to avoid bias). */
function base36(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 252) out += ALPHABET[byte % 36];
      if (out.length === length) break;
    }
  }
  return out;
}

/** A new upload id, e.g. `upl_1mehceg8cn80qsekh46143whrx`. */
export function newUploadId(): string {
  return `upl_${base36(26)}`;
}

/** A new file uid, e.g. `fil_5hx819ysp38n2rt1f5fv0wsxgh`. */
export function newFileUid(): string {
  return `fil_${base36(26)}`;
}
