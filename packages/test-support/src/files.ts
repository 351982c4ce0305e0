import { createHash, randomFillSync } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Writes a file of `size` random bytes in 1 MiB chunks (never all in memory) into a
 * fresh temporary directory, under `name`. Random content means no two parts are
 * alike, so a misplaced part cannot go unnoticed.
 */
export async function makeTempFile(size: number, name = 'upload.bin'): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'atai-file-')), name);
  const out = createWriteStream(path);
  for (let off = 0; off < size; off += 1024 * 1024) {
    const chunk = randomFillSync(Buffer.alloc(Math.min(1024 * 1024, size - off)));
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return path;
}

/** SHA-256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}

/** SHA-256 of an HTTP response body, streamed (for multi-GB downloads). */
export async function sha256Response(res: Response): Promise<string> {
  const h = createHash('sha256');
  if (!res.body) return h.digest('hex');
  for await (const c of res.body as unknown as AsyncIterable<Uint8Array>) h.update(c);
  return h.digest('hex');
}
