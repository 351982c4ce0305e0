/** Command-line flags shared by the benchmarks: `--name value`. */

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gib: 1024 ** 3,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
};

/** `--name value` from argv, or undefined. */
export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** `--name` present (a boolean switch). */
export function hasFlag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

export function strArg(name: string, fallback: string): string {
  return argValue(name) ?? fallback;
}

/** Parses `2GiB`, `256MiB`, `8M`, `16777216` (bare K/M/G are binary). */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = UNITS[(m?.[2] ?? '').toLowerCase()];
  if (!m?.[1] || unit === undefined) throw new Error(`invalid size "${text}" (e.g. 2GiB, 64MiB)`);
  return Math.round(Number(m[1]) * unit);
}

/** `--name 2GiB` as bytes, or the fallback. */
export function sizeArg(name: string, fallback: number): number {
  const v = argValue(name);
  return v === undefined ? fallback : parseSize(v);
}

/** `--name 8MiB,64MiB` as bytes, or the fallback. */
export function sizeListArg(name: string, fallback: number[]): number[] {
  const v = argValue(name);
  return v === undefined ? fallback : v.split(',').map(parseSize);
}

/** `--name a,b,c`, or the fallback. */
export function listArg(name: string, fallback: string[]): string[] {
  const v = argValue(name);
  return v === undefined ? fallback : v.split(',').filter(Boolean);
}

/** 2147483648 → "2 GiB", 8388608 → "8 MiB". */
export function fmtSize(bytes: number): string {
  for (const [unit, n] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= n) {
      const v = bytes / n;
      return `${Number.isInteger(v) ? v : v.toFixed(1)} ${unit}`;
    }
  }
  return `${bytes} B`;
}
