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

/** bench/results/ */
export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/**
 * Prints a table and writes the same rows as JSON under bench/results/, as
 * `<name>.json`, or `<--out>.json` when that flag is given (the smoke run uses it so
 * it never overwrites measured results).
 */
export function report(
  name: string,
  rows: Array<Record<string, string | number | boolean>>,
  extra: object = {},
): void {
  console.table(rows);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const i = process.argv.indexOf('--out');
  const file = join(RESULTS_DIR, `${i >= 0 ? process.argv[i + 1] : name}.json`);
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
