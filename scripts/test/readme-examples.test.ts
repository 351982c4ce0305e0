import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Every ```tsx / ```ts block in the READMEs must type-check against the real packages.
// Blocks are written into the demo app (which depends on every public package) and
// checked with its compiler settings. Mark a block that is not meant to compile with
// `<!-- not-checked -->` on the line before it.
const require = createRequire(import.meta.url);
// (The demo lists every public package as a dependency, for this check too.)
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(root, 'apps', 'demo', '.readme-check');

function readmes(): string[] {
  const found = [join(root, 'README.md')];
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, group))) {
      const p = join(root, group, name, 'README.md');
      try {
        readFileSync(p);
        found.push(p);
      } catch {
        // no README in this package
      }
    }
  }
  return found;
}

function blocks(markdown: string): Array<{ lang: string; code: string; line: number }> {
  const out: Array<{ lang: string; code: string; line: number }> = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(tsx?|typescript)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const skip = i > 0 && lines[i - 1]!.includes('<!-- not-checked -->');
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) body.push(lines[i]!);
    if (!skip)
      out.push({ lang: open[1] === 'tsx' ? 'tsx' : 'ts', code: body.join('\n'), line: start + 1 });
  }
  return out;
}

describe('README examples', () => {
  it('type-check against the workspace packages', () => {
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    const written: string[] = [];
    for (const file of readmes()) {
      const rel = relative(root, file).replace(/[\\/]/g, '_').replace(/\.md$/, '');
      for (const b of blocks(readFileSync(file, 'utf8'))) {
        const name = `${rel}_L${b.line}.${b.lang}`;
        // Each block is its own module, whether or not it imports anything.
        writeFileSync(join(outDir, name), `${b.code}\nexport {};\n`);
        written.push(name);
      }
    }
    expect(written.length).toBeGreaterThan(0);
    writeFileSync(
      join(outDir, 'tsconfig.json'),
      JSON.stringify({
        extends: '../tsconfig.json',
        compilerOptions: { noEmit: true, noUnusedLocals: false, types: ['vite/client', 'node'] },
        include: ['./*.ts', './*.tsx'],
      }),
    );
    const tsc = spawnSync(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-p', join(outDir, 'tsconfig.json')],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 120_000);
});
