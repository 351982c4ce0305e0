import type { DeepPartial, FaultConfig } from './types.js';

/** No faults, no shaping, one-hour URLs, ETag exposed, storage errors with CORS headers. */
export const DEFAULT_FAULTS: Readonly<FaultConfig> = Object.freeze({
  partPut: Object.freeze({ error5xxRate: 0, error429Rate: 0, dropRate: 0, corruptRate: 0 }),
  api: Object.freeze({ error5xxRate: 0, error429Rate: 0 }),
  retryAfterSeconds: 1,
  latencyMs: 0,
  bandwidthBytesPerSec: 0,
  urlTtlSeconds: 3600,
  exposeEtag: true,
  opaqueStorageErrors: false,
  staleFirstLinks: false,
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rate(path: string, value: unknown, current: number): number {
  if (value === undefined) return current;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new RangeError(`faults.${path} must be a number between 0 and 1`);
  }
  return value;
}

function nonNegative(path: string, value: unknown, current: number, integer = false): number {
  if (value === undefined) return current;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`faults.${path} must be a non-negative number`);
  }
  if (integer && !Number.isInteger(value))
    throw new RangeError(`faults.${path} must be an integer`);
  return value;
}

function flag(path: string, value: unknown, current: boolean): boolean {
  if (value === undefined) return current;
  if (typeof value !== 'boolean') throw new TypeError(`faults.${path} must be a boolean`);
  return value;
}

function subObject(path: string, value: unknown, keys: readonly string[]): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new TypeError(`faults.${path} must be an object`);
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) throw new RangeError(`faults.${path}.${key} is not a known setting`);
  }
  return value;
}

const TOP_KEYS = [
  'seed',
  'partPut',
  'api',
  'retryAfterSeconds',
  'latencyMs',
  'bandwidthBytesPerSec',
  'urlTtlSeconds',
  'exposeEtag',
  'opaqueStorageErrors',
  'staleFirstLinks',
] as const;

/**
 * Deep-merges a patch over a fault configuration (the `partPut` and `api`
 * sub-objects merge key by key) and validates every value. Accepts `unknown`
 * because patches arrive as JSON from the admin route; throws RangeError or
 * TypeError naming the offending key.
 */
export function mergeFaults(
  base: FaultConfig,
  patch: DeepPartial<FaultConfig> | unknown,
): FaultConfig {
  if (!isRecord(patch)) throw new TypeError('A faults patch must be a JSON object');
  for (const key of Object.keys(patch)) {
    if (!(TOP_KEYS as readonly string[]).includes(key)) {
      throw new RangeError(`faults.${key} is not a known setting`);
    }
  }
  const put = subObject('partPut', patch.partPut, Object.keys(base.partPut));
  const api = subObject('api', patch.api, Object.keys(base.api));
  const next: FaultConfig = {
    partPut: {
      error5xxRate: rate('partPut.error5xxRate', put.error5xxRate, base.partPut.error5xxRate),
      error429Rate: rate('partPut.error429Rate', put.error429Rate, base.partPut.error429Rate),
      dropRate: rate('partPut.dropRate', put.dropRate, base.partPut.dropRate),
      corruptRate: rate('partPut.corruptRate', put.corruptRate, base.partPut.corruptRate),
    },
    api: {
      error5xxRate: rate('api.error5xxRate', api.error5xxRate, base.api.error5xxRate),
      error429Rate: rate('api.error429Rate', api.error429Rate, base.api.error429Rate),
    },
    retryAfterSeconds: nonNegative(
      'retryAfterSeconds',
      patch.retryAfterSeconds,
      base.retryAfterSeconds,
      true,
    ),
    latencyMs: nonNegative('latencyMs', patch.latencyMs, base.latencyMs),
    bandwidthBytesPerSec: nonNegative(
      'bandwidthBytesPerSec',
      patch.bandwidthBytesPerSec,
      base.bandwidthBytesPerSec,
    ),
    urlTtlSeconds: nonNegative('urlTtlSeconds', patch.urlTtlSeconds, base.urlTtlSeconds, true),
    exposeEtag: flag('exposeEtag', patch.exposeEtag, base.exposeEtag),
    opaqueStorageErrors: flag(
      'opaqueStorageErrors',
      patch.opaqueStorageErrors,
      base.opaqueStorageErrors,
    ),
    staleFirstLinks: flag('staleFirstLinks', patch.staleFirstLinks, base.staleFirstLinks),
  };
  if (next.urlTtlSeconds < 1) throw new RangeError('faults.urlTtlSeconds must be at least 1');
  const seed = patch.seed === undefined ? base.seed : patch.seed;
  if (seed !== undefined) {
    if (typeof seed !== 'number' || !Number.isInteger(seed)) {
      throw new TypeError('faults.seed must be an integer');
    }
    next.seed = seed;
  }
  return next;
}

/** A deep copy, so callers cannot mutate the live configuration. */
export function cloneFaults(faults: FaultConfig): FaultConfig {
  return { ...faults, partPut: { ...faults.partPut }, api: { ...faults.api } };
}

/** mulberry32: tiny, fast and good enough to make injected faults reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What to do with one storage PUT. */
export type PutFault =
  | { kind: 'none' }
  | { kind: '5xx'; status: number }
  | { kind: '429' }
  | { kind: 'drop'; afterBytes: number }
  | { kind: 'corrupt'; byteIndex: number };

/** What to do with one API call. */
export type ApiFault = { kind: 'none' } | { kind: '5xx'; status: number } | { kind: '429' };

const SERVER_ERRORS = [500, 502, 503] as const;

/** Holds the live fault configuration and the PRNG that drives it. */
export class FaultInjector {
  #config: FaultConfig;
  #random: () => number;

  constructor(initial: FaultConfig) {
    // A random seed is still recorded, so a surprising run can be replayed.
    const seed = initial.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.#config = { ...cloneFaults(initial), seed };
    this.#random = mulberry32(seed);
  }

  /** A copy of the current configuration. */
  get(): FaultConfig {
    return cloneFaults(this.#config);
  }

  /** The live configuration, read-only by convention (hot paths avoid a copy). */
  get current(): Readonly<FaultConfig> {
    return this.#config;
  }

  /** Deep-merges a patch; a patch naming `seed` (even the current one) restarts the PRNG. */
  set(patch: DeepPartial<FaultConfig> | unknown): FaultConfig {
    const next = mergeFaults(this.#config, patch);
    this.#config = next;
    if (isRecord(patch) && patch.seed !== undefined && next.seed !== undefined) {
      this.#random = mulberry32(next.seed);
    }
    return this.get();
  }

  #pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#random() * items.length)] as T;
  }

  /** Rolls the dice for a storage PUT whose body has `length` bytes. */
  forPut(length: number): PutFault {
    const c = this.#config.partPut;
    if (c.error5xxRate > 0 && this.#random() < c.error5xxRate) {
      return { kind: '5xx', status: this.#pick(SERVER_ERRORS) };
    }
    if (c.error429Rate > 0 && this.#random() < c.error429Rate) return { kind: '429' };
    if (c.dropRate > 0 && this.#random() < c.dropRate) {
      return { kind: 'drop', afterBytes: Math.floor(this.#random() * length) };
    }
    if (c.corruptRate > 0 && length > 0 && this.#random() < c.corruptRate) {
      return { kind: 'corrupt', byteIndex: Math.floor(this.#random() * length) };
    }
    return { kind: 'none' };
  }

  /** Rolls the dice for an API call. */
  forApi(): ApiFault {
    const c = this.#config.api;
    if (c.error5xxRate > 0 && this.#random() < c.error5xxRate) {
      return { kind: '5xx', status: this.#pick(SERVER_ERRORS) };
    }
    if (c.error429Rate > 0 && this.#random() < c.error429Rate) return { kind: '429' };
    return { kind: 'none' };
  }
}
