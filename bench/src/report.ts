import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Median and spread (min–max) of repeated measurements. */
export interface Stat {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function stat(values: number[]): Stat {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s.at(-1)!, runs: s.length };
}

export function fmt(s: Stat, digits = 2, unit = ''): string {
  return `${s.median.toFixed(digits)}${unit} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)}, n=${s.runs})`;
}

/** Prints a table and writes the same rows as JSON under bench/results/. */
export function report(
  name: string,
  rows: Array<Record<string, string | number | boolean>>,
  extra: object = {},
): void {
  console.table(rows);
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ name, date: new Date().toISOString(), node: process.version, rows, ...extra }, null, 2)}\n`,
  );
  console.log(`results written to ${file}`);
}

/** `--name value` from argv, as a number, or the fallback. */
export function numArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
