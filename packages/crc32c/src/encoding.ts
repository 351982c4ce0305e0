/**
 * The Files API wants the raw 4-byte big-endian digest, base64-encoded:
 * always 8 characters ending in `==`.
 */
export function crc32cToBase64(crc: number): string {
  const v = crc >>> 0;
  const bytes = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  return btoa(String.fromCharCode(...bytes));
}

/** Parses the 8-character base64 form back to a number; throws on anything else. */
export function crc32cFromBase64(value: string): number {
  if (!/^[A-Za-z0-9+/]{6}==$/.test(value)) {
    throw new TypeError(
      `Not a base64 CRC-32C digest (expected 8 characters ending in "=="): ${value}`,
    );
  }
  const raw = atob(value);
  return (
    ((raw.charCodeAt(0) << 24) |
      (raw.charCodeAt(1) << 16) |
      (raw.charCodeAt(2) << 8) |
      raw.charCodeAt(3)) >>>
    0
  );
}

/** `0xE3069283` → `"e3069283"`. */
export function crc32cToHex(crc: number): string {
  return (crc >>> 0).toString(16).padStart(8, '0');
}
