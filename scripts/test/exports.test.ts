import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Each package exports exactly what its README documents: every name its index exports is
// listed in the README's "Exports" section, and every name listed there is exported.
const root = join(import.meta.dirname, '..', '..');

function exported(dir: string): string[] {
  const index = readFileSync(join(root, 'packages', dir, 'src', 'index.ts'), 'utf8');
  const names = new Set<string>();
  for (const m of index.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const part of m[1]!.split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop();
      if (name) names.add(name);
    }
  }
  return [...names].sort();
}

function documented(dir: string): string[] {
  const readme = readFileSync(join(root, 'packages', dir, 'README.md'), 'utf8');
  const section = readme.split('\n## Exports\n')[1]?.split('\n## ')[0] ?? '';
  return [...section.matchAll(/`([A-Za-z_]\w*)`/g)].map((m) => m[1]!).sort();
}

describe('public API = documented API', () => {
  for (const dir of ['upload-engine', 'upload-react', 'progress-panel', 'api-client']) {
    it(dir, () => {
      const listed = documented(dir);
      expect(listed.length).toBeGreaterThan(10);
      expect(new Set(listed).size).toBe(listed.length); // each listed once
      expect(exported(dir)).toEqual(listed);
    });
  }
});
