import { randomBytes } from 'node:crypto';
import { getEventListeners } from 'node:events';
import { crc32cSync } from '@atai-upload/crc32c';
import { describe, expect, it } from 'vitest';
import { UploadError } from '../src/errors.js';
import {
  createInlinePartHasher,
  createWorkerPartHasher,
  type HashReply,
  type HashRequest,
  type PartHasher,
} from '../src/part-hasher.js';
import { hashMissingParts } from '../src/part-hashing.js';
import { PartTable } from '../src/part-table.js';

const PART = 1000;
const data = randomBytes(9 * PART + 345); // 10 parts, the last one short
const file = new Blob([data]);
const whole = crc32cSync(data);

/** The inline hasher, recording what it is asked to read. */
function recording(): PartHasher & { blobs: number[]; single: number } {
  const inner = createInlinePartHasher();
  const r = {
    blobs: [] as number[],
    single: 0,
    hash: (part: Blob, signal?: AbortSignal) => {
      r.single++;
      return inner.hash(part, signal);
    },
    hashParts: (
      blob: Blob,
      partSize: number,
      onPart: (i: number, crc: number, len: number) => void,
      signal?: AbortSignal,
    ) => {
      r.blobs.push(blob.size);
      return inner.hashParts!(blob, partSize, onPart, signal);
    },
    dispose() {},
  };
  return r;
}

describe('hashMissingParts with a hasher that reads stretches (hashParts)', () => {
  it('hashes the rest of the file from one blob, after the kept prefix, to the whole-file CRC', async () => {
    const table = new PartTable(data.length, PART);
    table.hashedParts = 3;
    table.hashedCrc = crc32cSync(data.subarray(0, 3 * PART));
    const hasher = recording();
    const prefixes: Array<[number, number]> = [];
    await hashMissingParts(table, file, 'f.bin', hasher, new AbortController().signal, (n, c) =>
      prefixes.push([n, c]),
    );
    expect(hasher.blobs).toEqual([data.length - 3 * PART]);
    expect(hasher.single).toBe(0);
    expect(table.hashedParts).toBe(10);
    expect(table.hashedCrc).toBe(whole);
    expect(prefixes).toEqual([[10, whole]]);
  });

  it('keeps the parts hashed before an abort, and rejects with its reason', async () => {
    const table = new PartTable(data.length, PART);
    const controller = new AbortController();
    const hasher: PartHasher = {
      hash: () => Promise.reject(new Error('not used')),
      async hashParts(blob, partSize, onPart, signal) {
        const bytes = new Uint8Array(await blob.arrayBuffer());
        for (let i = 0; i * partSize < bytes.length; i++) {
          signal?.throwIfAborted();
          const part = bytes.subarray(i * partSize, (i + 1) * partSize);
          onPart(i, crc32cSync(part), part.length);
          if (i === 5) controller.abort(new Error('paused'));
        }
      },
      dispose() {},
    };
    await expect(hashMissingParts(table, file, 'f.bin', hasher, controller.signal)).rejects.toThrow(
      'paused',
    );
    expect(table.hashedParts).toBe(6);
    expect(table.hashedCrc).toBe(crc32cSync(data.subarray(0, 6 * PART)));
  });

  it('fails as checksum_unavailable when parts come out of order or the read ends early', async () => {
    const outOfOrder: PartHasher = {
      hash: () => Promise.reject(new Error('not used')),
      async hashParts(_blob, _size, onPart) {
        onPart(1, 0, PART);
      },
      dispose() {},
    };
    const short: PartHasher = {
      hash: () => Promise.reject(new Error('not used')),
      async hashParts(_blob, _size, onPart) {
        onPart(0, crc32cSync(data.subarray(0, PART)), PART);
      },
      dispose() {},
    };
    for (const [hasher, why] of [
      [outOfOrder, /part 2 came out of order/],
      [short, /ended after 1 of 10 parts/],
    ] as const) {
      const table = new PartTable(data.length, PART);
      const e = await hashMissingParts(
        table,
        file,
        'f.bin',
        hasher,
        new AbortController().signal,
      ).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UploadError);
      expect((e as UploadError).code).toBe('checksum_unavailable');
      expect((e as Error).message).toMatch(why);
    }
  });

  it('maps an unreadable file to file_unreadable', async () => {
    const hasher: PartHasher = {
      hash: () => Promise.reject(new Error('not used')),
      hashParts: () => Promise.reject(new DOMException('gone', 'NotReadableError')),
      dispose() {},
    };
    const e = await hashMissingParts(
      new PartTable(data.length, PART),
      file,
      'f.bin',
      hasher,
      new AbortController().signal,
    ).catch((x: unknown) => x);
    expect((e as UploadError).code).toBe('file_unreadable');
  });
});

/** A stand-in Worker speaking the CRC worker's messages, answering a stretch part by part. */
class FakeCrcWorker {
  onmessage: ((ev: MessageEvent<HashReply>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  readonly received: HashRequest[] = [];
  private readonly cancelled = new Set<number>();
  postMessage(req: HashRequest): void {
    this.received.push(req);
    if ('cancel' in req) {
      this.cancelled.add(req.id);
      return;
    }
    void this.answer(req);
  }
  terminate(): void {}
  private async answer(req: Extract<HashRequest, { blob: Blob }>) {
    const reply = (data: HashReply) => this.onmessage?.({ data } as MessageEvent<HashReply>);
    const bytes = new Uint8Array(await req.blob.arrayBuffer());
    const size = req.partSize ?? bytes.length;
    for (let i = 0; i * size < bytes.length; i++) {
      await new Promise((r) => setTimeout(r, 1));
      if (this.cancelled.has(req.id)) return;
      const part = bytes.subarray(i * size, (i + 1) * size);
      if (req.partSize === undefined) return reply({ id: req.id, crc: crc32cSync(part) });
      reply({ id: req.id, part: i, crc: crc32cSync(part), length: part.length });
    }
    reply({ id: req.id, crc: 0 });
  }
}

describe('createWorkerPartHasher: stretches', () => {
  it('posts one blob per stretch and passes each part on as the worker answers it', async () => {
    const w = new FakeCrcWorker();
    const hasher = createWorkerPartHasher(() => w as unknown as Worker);
    const table = new PartTable(data.length, PART);
    await hashMissingParts(table, file, 'f.bin', hasher, new AbortController().signal);
    expect(table.hashedCrc).toBe(whole);
    expect(w.received).toHaveLength(1);
    expect(w.received[0]).toMatchObject({ partSize: PART });
  });

  it('leaves no abort listener on the upload signal once a request has settled', async () => {
    // The signal lives as long as the upload: a listener per part would pile up over
    // 32,000 parts (the per-part path left one behind for every part it hashed).
    const w = new FakeCrcWorker();
    const hasher = createWorkerPartHasher(() => w as unknown as Worker);
    const signal = new AbortController().signal;
    for (let i = 0; i < 5; i++) await hasher.hash(file.slice(i * PART, (i + 1) * PART), signal);
    await hasher.hashParts!(file, PART, () => {}, signal);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('tells the worker to stop a stretch when the upload pauses', async () => {
    const w = new FakeCrcWorker();
    const hasher = createWorkerPartHasher(() => w as unknown as Worker);
    const table = new PartTable(data.length, PART);
    const controller = new AbortController();
    const run = hashMissingParts(table, file, 'f.bin', hasher, controller.signal, (n) => n);
    await new Promise((r) => setTimeout(r, 8));
    controller.abort(new Error('paused'));
    await expect(run).rejects.toThrow('paused');
    const kept = table.hashedParts;
    expect(kept).toBeLessThan(10);
    expect(table.hashedCrc).toBe(crc32cSync(data.subarray(0, kept * PART)));
    expect(w.received.at(-1)).toEqual({ id: 1, cancel: true });
    await new Promise((r) => setTimeout(r, 30));
    expect(table.hashedParts).toBe(kept); // nothing folded after the pause
  });
});
