/**
 * Draws a soak run's plot again from its JSON (bench/results/<out>.json), e.g. after the plot
 * changed, without uploading 250 GiB again:
 *
 *   pnpm --filter @atai-upload/bench exec tsx src/soak-plot.ts results/soak.json [out-dir]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { memoryAt, type RunResult, soakPlot } from './lib/soak-plot.js';

const [input, outDir] = process.argv.slice(2);
if (!input) throw new Error('usage: soak-plot.ts <results.json> [out-dir]');
const data = JSON.parse(readFileSync(input, 'utf8')) as {
  size: number;
  intervalS: number;
  results: RunResult[];
};
mkdirSync(outDir ?? dirname(input), { recursive: true });
for (const r of data.results) {
  // A run that ended early (e.g. stopped by the harness) kept its samples but no milestones.
  if (r.milestones.length === 0) Object.assign(r, memoryAt(r.samples, data.size));
  const file = join(outDir ?? dirname(input), `${basename(input, '.json')}-${r.engine}.svg`);
  writeFileSync(file, soakPlot(r, data.size, data.intervalS));
  console.log(`plot written to ${file}`);
}
