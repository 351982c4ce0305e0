/**
 * A file of any size that costs almost no disk: `ftruncate` makes it sparse (reads of the
 * holes return zeros from the kernel, no disk I/O), and a 16-byte marker at the start of
 * every part makes each part's bytes, and so its CRC-32C and ETag, unique. With all-zero
 * parts a part sent twice, or sent to the wrong number, would still hash to the right
 * whole-file CRC-32C; with the markers it cannot. Each marker dirties one 4 KiB block:
 * 32,000 parts of a 250 GiB file take 125 MiB of disk.
 */
import {
  closeSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SparseFile {
  path: string;
  /** Blocks the file really occupies on disk, in bytes (`st_blocks` × 512). */
  diskBytes: number;
  remove(): void;
}

export function makeSparseFile(size: number, partSize: number, name: string): SparseFile {
  const dir = mkdtempSync(join(tmpdir(), 'atai-soak-'));
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  try {
    // The length first, as a hole; then the markers, each written into it.
    ftruncateSync(fd, size);
    const marker = Buffer.alloc(16);
    for (let offset = 0, n = 0; offset < size; offset += partSize, n++) {
      marker.write('atai', 0, 'latin1');
      marker.writeUInt32BE(n, 4);
      marker.writeDoubleBE(offset, 8);
      writeSync(fd, marker, 0, Math.min(marker.length, size - offset), offset);
    }
  } finally {
    closeSync(fd);
  }
  return {
    path,
    diskBytes: statSync(path).blocks * 512,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
