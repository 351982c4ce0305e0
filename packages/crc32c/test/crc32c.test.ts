import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  crc32cCombine,
  crc32cCombineAll,
  crc32cFromBase64,
  crc32cOfBlob,
  crc32cOfBlobParts,
  crc32cSync,
  crc32cToBase64,
  createCrc32c,
} from '../src/index.js';

const vector = new TextEncoder().encode('123456789');

describe('crc32c', () => {
  it('matches the Castagnoli test vector (JS and WASM kernels)', async () => {
    expect(crc32cSync(vector)).toBe(0xe3069283);
    const h = await createCrc32c();
    h.update(vector.subarray(0, 4));
    h.update(vector.subarray(4));
    expect(h.digest()).toBe(0xe3069283);
    // digest resets the hasher
    h.update(vector);
    expect(h.digest()).toBe(0xe3069283);
  });

  it('encodes to the 8-character big-endian base64 the API expects', () => {
    expect(crc32cToBase64(0xe3069283)).toBe('4waSgw==');
    expect(crc32cFromBase64('4waSgw==')).toBe(0xe3069283);
    expect(crc32cToBase64(0)).toBe('AAAAAA==');
    expect(() => crc32cFromBase64('4waSgw')).toThrow(TypeError);
    expect(() => crc32cFromBase64('not base64!')).toThrow(TypeError);
  });

  it('combines per-block CRCs into the CRC of the whole, at every split point', () => {
    const data = randomBytes(3000);
    const whole = crc32cSync(data);
    for (const split of [0, 1, 2, 7, 8, 9, 1024, 2999, 3000]) {
      const a = crc32cSync(data.subarray(0, split));
      const b = crc32cSync(data.subarray(split));
      expect(crc32cCombine(a, b, 3000 - split)).toBe(whole);
    }
  });

  it('folds many uneven segments in order', () => {
    const data = randomBytes(10_000);
    const cuts = [0, 13, 4096, 4097, 8192, 10_000];
    const segments = cuts.slice(1).map((end, i) => {
      const part = data.subarray(cuts[i], end);
      return { crc: crc32cSync(part), length: part.length };
    });
    expect(crc32cCombineAll(segments)).toBe(crc32cSync(data));
    expect(crc32cCombineAll([])).toBe(0);
  });

  it('combines lengths beyond 2^32 consistently with repeated doubling', () => {
    // crc(Z_n) for n zero bytes is combine(0, 0, n) when starting from an empty prefix;
    // check associativity: combine(combine(a, z, n), z, n) === combine(a, combine(z, z, n), 2n).
    const a = 0x12345678;
    const n = 5 * 2 ** 32 + 17;
    const left = crc32cCombine(crc32cCombine(a, 0, n), 0, n);
    const right = crc32cCombine(a, 0, 2 * n);
    expect(left).toBe(right);
    expect(() => crc32cCombine(1, 2, -1)).toThrow(RangeError);
    expect(() => crc32cCombine(1, 2, 2 ** 60)).toThrow(RangeError);
  });

  it('hashes a Blob as a stream and reports progress', async () => {
    const data = randomBytes(1_000_003);
    const seen: number[] = [];
    const crc = await crc32cOfBlob(new Blob([data]), { onProgress: (n) => seen.push(n) });
    expect(crc).toBe(crc32cSync(data));
    expect(seen.at(-1)).toBe(1_000_003);
  });

  it('falls back to bounded slices where a Blob cannot stream', async () => {
    const data = randomBytes(1_000_003);
    const blob = new Blob([data]);
    const noStream = { size: blob.size, slice: blob.slice.bind(blob) } as unknown as Blob;
    const seen: number[] = [];
    const crc = await crc32cOfBlob(noStream, {
      chunkSize: 65_536,
      onProgress: (n) => seen.push(n),
    });
    expect(crc).toBe(crc32cSync(data));
    expect(seen.length).toBe(Math.ceil(1_000_003 / 65_536));
  });

  it('gives the right CRC after an aborted hash (its hasher is reused) and stops reading', async () => {
    const data = randomBytes(1_000_003);
    const ctrl = new AbortController();
    let pulls = 0;
    // A stream that counts its pulls, to see that the abandoned read is cancelled.
    const big = new Blob([data]);
    const counted = {
      size: big.size,
      slice: big.slice.bind(big),
      stream: () =>
        new ReadableStream<Uint8Array>({
          start() {},
          async pull(c) {
            pulls++;
            if (pulls > 1000) c.close();
            else c.enqueue(data.subarray(0, 1024));
          },
          cancel() {
            pulls = -1_000_000;
          },
        }),
    } as unknown as Blob;
    await expect(
      crc32cOfBlob(counted, { signal: ctrl.signal, onProgress: () => ctrl.abort() }),
    ).rejects.toThrow();
    expect(pulls).toBeLessThan(0); // cancelled
    for (let i = 0; i < 6; i++) {
      expect(await crc32cOfBlob(new Blob([vector]))).toBe(0xe3069283);
      expect(await crc32cOfBlob(new Blob([data]))).toBe(crc32cSync(data));
    }
  });

  it('reads a byte stream into one reused buffer (BYOB), with the right CRC', async () => {
    const data = randomBytes(3_500_001);
    let sent = 0;
    const views: number[] = [];
    const stream = new ReadableStream({
      type: 'bytes',
      pull(c) {
        const req = c.byobRequest;
        if (!req?.view) throw new Error('expected a BYOB read');
        views.push(req.view.byteLength);
        const n = Math.min(req.view.byteLength, 300_000, data.length - sent);
        new Uint8Array(req.view.buffer, req.view.byteOffset, n).set(data.subarray(sent, sent + n));
        sent += n;
        req.respond(n);
        if (sent === data.length) {
          c.close();
          c.byobRequest?.respond(0);
        }
      },
    });
    const blob = { size: data.length, stream: () => stream } as unknown as Blob;
    expect(await crc32cOfBlob(blob)).toBe(crc32cSync(data));
    expect(views.length).toBeGreaterThan(10);
    expect(new Set(views)).toEqual(new Set([1024 * 1024]));
  });

  describe("read: 'sync' (FileReaderSync, workers only)", () => {
    /** A Blob stand-in whose slices carry their bytes, so a fake FileReaderSync can read them. */
    const fakeBlob = (bytes: Uint8Array): Blob =>
      ({
        size: bytes.length,
        slice: (start = 0, end = bytes.length) => fakeBlob(bytes.subarray(start, end)),
        bytes,
      }) as unknown as Blob;
    const withFileReaderSync = async <T>(reads: number[], run: () => Promise<T>): Promise<T> => {
      const g = globalThis as { FileReaderSync?: unknown };
      g.FileReaderSync = class {
        readAsArrayBuffer(blob: Blob) {
          const { bytes } = blob as unknown as { bytes: Uint8Array };
          reads.push(bytes.length);
          return new Uint8Array(bytes).buffer; // a copy (Buffer#slice would not be one)
        }
      };
      try {
        return await run();
      } finally {
        delete g.FileReaderSync;
      }
    };

    it('reads chunkSize bytes at a time, with the right CRC and progress', async () => {
      const data = randomBytes(3_500_001);
      const reads: number[] = [];
      const seen: number[] = [];
      const crc = await withFileReaderSync(reads, () =>
        crc32cOfBlob(fakeBlob(data), {
          read: 'sync',
          chunkSize: 1_000_000,
          onProgress: (n) => seen.push(n),
        }),
      );
      expect(crc).toBe(crc32cSync(data));
      expect(reads).toEqual([1_000_000, 1_000_000, 1_000_000, 500_001]);
      expect(seen).toEqual([1_000_000, 2_000_000, 3_000_000, 3_500_001]);
    });

    it('lets the event loop run between 32 MiB stretches of a long part', async () => {
      const data = new Uint8Array(80 * 1024 * 1024);
      data[12_345_678] = 7;
      const reads: number[] = [];
      // A timer due now fires only if the loop yields to the event loop while reading.
      let timerFiredAfterReads = -1;
      setTimeout(() => {
        timerFiredAfterReads = reads.length;
      }, 0);
      const crc = await withFileReaderSync(reads, () =>
        crc32cOfBlob(fakeBlob(data), { read: 'sync', chunkSize: 4 * 1024 * 1024 }),
      );
      expect(crc).toBe(crc32cSync(data));
      expect(reads).toHaveLength(20);
      expect(timerFiredAfterReads).toBe(8); // after the first 32 MiB
    });

    it('stops between chunks once aborted', async () => {
      const data = randomBytes(1_000_000);
      const ctrl = new AbortController();
      const reads: number[] = [];
      await expect(
        withFileReaderSync(reads, () =>
          crc32cOfBlob(fakeBlob(data), {
            read: 'sync',
            chunkSize: 100_000,
            signal: ctrl.signal,
            onProgress: (n) => n >= 300_000 && ctrl.abort(),
          }),
        ),
      ).rejects.toThrow();
      expect(reads).toHaveLength(3);
      expect(await crc32cOfBlob(new Blob([data]))).toBe(crc32cSync(data));
    });

    it('says what is missing where the realm has no FileReaderSync (a page, Node)', async () => {
      await expect(crc32cOfBlob(new Blob([vector]), { read: 'sync' })).rejects.toThrow(
        "read: 'sync' needs FileReaderSync, which only workers have",
      );
    });
  });
});

describe('crc32cOfBlobParts', () => {
  const data = randomBytes(300_000);
  const blob = new Blob([data]);
  /** What hashing each slice on its own gives. */
  const expected = (partSize: number) => {
    const out: Array<[number, number, number]> = [];
    for (let i = 0, off = 0; off < data.length; i++, off += partSize) {
      const part = data.subarray(off, Math.min(off + partSize, data.length));
      out.push([i, crc32cSync(part), part.length]);
    }
    return out;
  };

  for (const read of ['stream', 'slices'] as const) {
    it(`gives each part's CRC from one ${read} read, parts crossing read chunks (${read})`, async () => {
      for (const partSize of [1000, 65_536, 70_001, 150_000, 300_000, 400_000]) {
        const got: Array<[number, number, number]> = [];
        const seen: number[] = [];
        await crc32cOfBlobParts(blob, partSize, (i, crc, len) => got.push([i, crc, len]), {
          read,
          chunkSize: 4099, // (slices) a read size no part size divides
          onProgress: (n) => seen.push(n),
        });
        expect(got, `part size ${partSize}`).toEqual(expected(partSize));
        expect(seen.at(-1)).toBe(data.length);
      }
    });
  }

  it('calls back nothing for an empty blob and refuses a part size that is not a positive integer', async () => {
    const got: number[] = [];
    await crc32cOfBlobParts(new Blob([]), 8, (i) => got.push(i));
    expect(got).toEqual([]);
    for (const bad of [0, -1, 1.5, Number.NaN])
      await expect(crc32cOfBlobParts(blob, bad, () => {})).rejects.toThrow(RangeError);
  });

  it('stops reading when aborted, after the parts already hashed', async () => {
    const controller = new AbortController();
    const got: number[] = [];
    const run = crc32cOfBlobParts(
      blob,
      10_000,
      (i) => {
        got.push(i);
        if (i === 2) controller.abort(new Error('paused'));
      },
      { signal: controller.signal, read: 'slices', chunkSize: 10_000 },
    );
    await expect(run).rejects.toThrow('paused');
    expect(got).toEqual([0, 1, 2]);
  });
});
