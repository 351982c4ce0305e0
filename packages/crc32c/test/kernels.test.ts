import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type Crc32cHasher,
  Crc32cUnavailableError,
  crc32cKernel,
  crc32cOfBlob,
  crc32cSync,
  createCrc32c,
  isCrc32cUnavailableError,
} from '../src/index.js';
import { createJsHasher, JS_INITIAL_REGISTER, jsDigest, jsUpdate } from '../src/js-kernel.js';
import { createKernelSelector } from '../src/kernel.js';
import { createWasmHasher } from '../src/wasm-kernel.js';

/** Bit at a time, no tables, its own copy of the polynomial: an independent oracle. */
function bitwise(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return ~c >>> 0;
}

/** The JavaScript kernel through each block path, in one call. */
const jsWords = (d: Uint8Array) => jsDigest(jsUpdate(JS_INITIAL_REGISTER, d, true));
const jsBytes = (d: Uint8Array) => jsDigest(jsUpdate(JS_INITIAL_REGISTER, d, false));

const seq = (n: number, f: (i: number) => number) => Uint8Array.from({ length: n }, (_, i) => f(i));

// The inputs of RFC 3720 (iSCSI) B.4, their CRCs written as numbers (and each one also
// checked against the bitwise oracle, so a wrong byte order here would show).
const iscsiRead = new Uint8Array([
  0x01, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x14, 0, 0, 0, 0, 0, 0x04, 0, 0, 0, 0, 0x14,
  0, 0, 0, 0x18, 0x28, 0, 0, 0, 0, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0,
]);
const VECTORS: Array<[string, Uint8Array, number]> = [
  ['"123456789"', new TextEncoder().encode('123456789'), 0xe3069283],
  ['32 zero bytes', new Uint8Array(32), 0x8a9136aa],
  ['32 bytes of 0xFF', new Uint8Array(32).fill(0xff), 0x62a8ab43],
  ['bytes 0..31 ascending', seq(32, (i) => i), 0x46dd794e],
  ['bytes 31..0 descending', seq(32, (i) => 31 - i), 0x113fdb5c],
  ['an iSCSI read command PDU', iscsiRead, 0xd9963a56],
  ['nothing', new Uint8Array(0), 0],
];

describe('JavaScript kernel', () => {
  it.each(VECTORS)('gives the published CRC of %s', (_, data, crc) => {
    expect(bitwise(data)).toBe(crc);
    expect(crc32cSync(data)).toBe(crc);
    expect(jsWords(data)).toBe(crc);
    expect(jsBytes(data)).toBe(crc);
    const h = createJsHasher();
    h.update(data);
    expect(h.digest()).toBe(crc);
  });

  it('agrees with the bitwise oracle and with WebAssembly at every length and alignment', async () => {
    // 0–300 covers the byte-only path, the threshold (64) and every tail length; the
    // larger ones cross many blocks. Offsets 0–7 into a bigger buffer cover every
    // misalignment of the word view.
    const backing = randomBytes((256 << 10) + 64);
    const wasm = await createCrc32c({ kernel: 'wasm' }); // digest() resets it for the next case
    const lengths = [...Array.from({ length: 301 }, (_, i) => i), 1000, 4096 + 7, (256 << 10) + 3];
    for (const length of lengths) {
      for (const offset of length > 4096 ? [0, 1, 3] : [0, 1, 2, 3, 4, 5, 6, 7]) {
        const view = new Uint8Array(backing.buffer, backing.byteOffset + offset, length);
        const want = bitwise(view);
        wasm.update(view);
        const got = [jsWords(view), jsBytes(view), crc32cSync(view), wasm.digest()];
        expect(got, `length ${length}, offset ${offset}`).toEqual([want, want, want, want]);
      }
    }
  }, 30_000); // seconds when idle; the margin is for a machine shared with other work

  it('hashes chunk by chunk to the same CRC as in one piece, whatever the cuts', () => {
    const data = randomBytes(200_003);
    const whole = bitwise(data);
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) >>> 0;
      return seed;
    };
    for (let round = 0; round < 20; round++) {
      const h = createJsHasher();
      let prev = 0;
      for (let off = 0; off < data.length; ) {
        // Mostly small, sometimes large: cuts land inside blocks and misalign the next chunk.
        const len = Math.min(data.length - off, next() % 8 === 0 ? next() % 70_000 : next() % 97);
        h.update(data.subarray(off, off + len));
        prev = crc32cSync(data.subarray(off, off + len), prev);
        off += len;
      }
      expect(h.digest()).toBe(whole);
      expect(prev).toBe(whole);
    }
  });

  it('resets on digest', () => {
    const h = createJsHasher();
    h.update(new Uint8Array([1, 2, 3]));
    h.digest();
    h.update(new TextEncoder().encode('123456789'));
    expect(h.digest()).toBe(0xe3069283);
    expect(h.digest()).toBe(0);
  });
});

/** A hasher that records nothing: which kernel it stands for is all a test needs. */
const fake = (kernel: 'wasm' | 'js'): Crc32cHasher => ({ kernel, update() {}, digest: () => 0 });

const cspRefusal = () =>
  new WebAssembly.CompileError(
    "WebAssembly.compile(): Refused to compile or instantiate WebAssembly module because 'unsafe-eval' is not an allowed source of script in the following Content Security Policy directive: \"script-src 'self'\"",
  );

describe('kernel selection', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('uses WebAssembly when it can be created', async () => {
    const wasm = vi.fn(async () => fake('wasm'));
    const js = vi.fn(() => fake('js'));
    const s = createKernelSelector({ wasm, js });
    expect(s.auto).toBeUndefined();
    expect((await s.create('auto')).kernel).toBe('wasm');
    expect(s.auto).toBe('wasm');
    expect(js).not.toHaveBeenCalled();
  });

  it.each([
    ['a CSP refusal (CompileError)', cspRefusal],
    ['an EvalError', () => new EvalError('Refused to evaluate a string as JavaScript')],
    ['no WebAssembly at all', () => new Error('WebAssembly is not supported in this environment!')],
  ])('falls back to JavaScript on %s, and does not try WebAssembly again', async (_, error) => {
    const wasm = vi.fn(async (): Promise<Crc32cHasher> => {
      throw error();
    });
    const s = createKernelSelector({ wasm, js: createJsHasher });
    for (let i = 0; i < 3; i++) {
      const h = await s.create('auto');
      expect(h.kernel).toBe('js');
      h.update(new TextEncoder().encode('123456789'));
      expect(h.digest()).toBe(0xe3069283);
    }
    expect(s.auto).toBe('js');
    expect(wasm).toHaveBeenCalledTimes(1);
  });

  it('falls back with the real factories where WebAssembly is missing', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    const s = createKernelSelector({ wasm: createWasmHasher, js: createJsHasher });
    expect((await s.create('auto')).kernel).toBe('js');
    vi.unstubAllGlobals();
    // Hashers already made elsewhere were not touched, and WebAssembly works again.
    expect((await createWasmHasher()).kernel).toBe('wasm');
  });

  it('honours a forced kernel', async () => {
    const wasm = vi.fn(async () => fake('wasm'));
    const js = vi.fn(() => fake('js'));
    const s = createKernelSelector({ wasm, js });
    expect((await s.create('js')).kernel).toBe('js');
    expect(wasm).not.toHaveBeenCalled();
    expect((await s.create('wasm')).kernel).toBe('wasm');
    expect(s.auto).toBeUndefined(); // forced choices say nothing about what 'auto' picks
  });

  it('fails a forced WebAssembly kernel with the checksum error, not a fallback', async () => {
    const js = vi.fn(() => fake('js'));
    const s = createKernelSelector({
      wasm: async () => {
        throw cspRefusal();
      },
      js,
    });
    const e = await s.create('wasm').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Crc32cUnavailableError);
    expect((e as Crc32cUnavailableError).failures.wasm).toBeInstanceOf(WebAssembly.CompileError);
    expect(js).not.toHaveBeenCalled();
    // …and 'auto' then goes straight to JavaScript.
    expect((await s.create('auto')).kernel).toBe('js');
  });

  it('throws Crc32cUnavailableError only when both kernels fail', async () => {
    const s = createKernelSelector({
      wasm: async () => {
        throw cspRefusal();
      },
      js: () => {
        throw new RangeError('Array buffer allocation failed');
      },
    });
    const e = await s.create('auto').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Crc32cUnavailableError);
    const err = e as Crc32cUnavailableError;
    expect(err.name).toBe('Crc32cUnavailableError');
    expect(err.code).toBe('checksum_unavailable');
    expect(err.message).toMatch(/^the checksum could not be computed: /);
    expect(err.message).toContain('CompileError: WebAssembly.compile(): Refused');
    expect(err.message).toContain('RangeError: Array buffer allocation failed');
    expect(err.failures.wasm).toBeInstanceOf(WebAssembly.CompileError);
    expect(err.failures.js).toBeInstanceOf(RangeError);
    expect(err.cause).toBe(err.failures.js);
    // Forced JavaScript fails on its own failure alone.
    const forced = (await s.create('js').catch((x: unknown) => x)) as Crc32cUnavailableError;
    expect(Object.keys(forced.failures)).toEqual(['js']);
  });

  it('recognises the error by name once it has crossed a worker boundary', () => {
    const rebuilt = new Error('the checksum could not be computed: …');
    rebuilt.name = 'Crc32cUnavailableError';
    expect(isCrc32cUnavailableError(rebuilt)).toBe(true);
    expect(isCrc32cUnavailableError(new Crc32cUnavailableError({ js: 'x' }))).toBe(true);
    expect(isCrc32cUnavailableError(new TypeError('Failed to fetch'))).toBe(false);
    expect(isCrc32cUnavailableError({ name: 'Crc32cUnavailableError' })).toBe(false);
  });
});

describe('public API with kernels', () => {
  it('reports WebAssembly as the kernel in Node, and makes hashers of either kernel', async () => {
    expect(await crc32cKernel()).toBe('wasm');
    expect((await createCrc32c()).kernel).toBe('wasm');
    expect((await createCrc32c({ kernel: 'js' })).kernel).toBe('js');
  });

  it('hashes a Blob on a forced kernel, each giving the same CRC', async () => {
    const data = randomBytes(3_000_017);
    const want = bitwise(data);
    for (const kernel of ['js', 'wasm', 'auto', 'js'] as const) {
      expect(await crc32cOfBlob(new Blob([data]), { kernel })).toBe(want);
    }
  });
});
