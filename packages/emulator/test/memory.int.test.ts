import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/index.js';
import { initiate, startTemp, stopTemp } from './helpers.js';

const SIZE = 256 * 1024 * 1024;
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startTemp({ partSize: SIZE });
});
afterAll(() => stopTemp(emu));

/** 256 MiB from a generator reusing one 1 MiB buffer (varied per chunk), so the client holds ~1 MiB. */
function* chunks(): Generator<Buffer> {
  const block = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < SIZE / block.length; i++) {
    block.fill(i & 0xff, 0, 16);
    block.fill((i * 7) & 0xff, 16);
    yield block;
  }
}

describe('memory', () => {
  it('streams a 256 MiB part to disk with a flat heap', async () => {
    const init = await initiate(emu, 'big.parquet', SIZE, { file_type: 'application/x-parquet' });
    expect(init.body.num_parts).toBe(1);
    const url = init.body.parts[0]!.url;
    // heapUsed is the bound asked for; arrayBuffers catches Buffers piling up off-heap.
    const base = process.memoryUsage();
    let peakHeap = base.heapUsed;
    let peakBuffers = base.arrayBuffers;
    const sample = (): void => {
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed);
      peakBuffers = Math.max(peakBuffers, m.arrayBuffers);
    };
    const sampler = setInterval(sample, 10);
    const md5 = createHash('md5');
    try {
      const { status, etag } = await new Promise<{ status: number; etag: string | undefined }>(
        (resolve, reject) => {
          const req = request(
            url,
            { method: 'PUT', headers: { 'Content-Length': String(SIZE) } },
            (res) => {
              res.resume();
              res.on('end', () => resolve({ status: res.statusCode ?? 0, etag: res.headers.etag }));
            },
          );
          req.on('error', reject);
          const it = chunks();
          const pump = (): void => {
            for (;;) {
              const next = it.next();
              if (next.done) {
                req.end();
                return;
              }
              md5.update(next.value);
              if (!req.write(next.value)) {
                req.once('drain', pump);
                return;
              }
            }
          };
          pump();
        },
      );
      expect(status).toBe(200);
      expect(etag).toBe(`"${md5.digest('hex')}"`);
    } finally {
      clearInterval(sampler);
    }
    sample();
    console.log(
      `heap +${((peakHeap - base.heapUsed) / 2 ** 20).toFixed(1)} MiB, buffers +${((peakBuffers - base.arrayBuffers) / 2 ** 20).toFixed(1)} MiB`,
    );
    expect(peakHeap - base.heapUsed).toBeLessThan(64 * 1024 * 1024);
    expect(peakBuffers - base.arrayBuffers).toBeLessThan(64 * 1024 * 1024);
    expect(emu.accounting().bytesStored).toBe(SIZE);
  });
});
