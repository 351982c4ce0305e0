import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The engine runs every API step as a mutation of the app's QueryClient. If the workspace held
// two copies of @tanstack/query-core (say a devtools release that pulls a newer react-query
// than the engine's query-core), the app's client would be an instance of a class the engine
// does not share, and its mutations would not show up where the app looks. So: one version of
// each TanStack Query package in the lockfile, and every package.json asks for the same range.
const root = join(import.meta.dirname, '..', '..');
const QUERY_PACKAGES = [
  '@tanstack/query-core',
  '@tanstack/react-query',
  '@tanstack/query-devtools',
  '@tanstack/react-query-devtools',
];

/** Versions of `name` among the lockfile's `packages:` keys (`  '@scope/name@1.2.3':`). */
function lockedVersions(lock: string, name: string): string[] {
  const packages = lock.split('\npackages:\n')[1]?.split('\nsnapshots:\n')[0] ?? '';
  const escaped = name.replace(/[/@]/g, (c) => `\\${c}`);
  const re = new RegExp(`^  '?${escaped}@([^'(:]+)'?:`, 'gm');
  return [...packages.matchAll(re)].map((m) => m[1]!);
}

/** Every range the workspace's package.json files give a TanStack Query package. */
function declaredRanges(): Array<{ where: string; name: string; range: string }> {
  const dirs = ['packages', 'apps'].flatMap((top) =>
    readdirSync(join(root, top)).map((d) => join(top, d)),
  );
  const out: Array<{ where: string; name: string; range: string }> = [];
  for (const dir of [...dirs, 'bench']) {
    let pkg: Record<string, Record<string, string> | undefined>;
    try {
      pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    } catch {
      continue; // a folder without a package
    }
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
      for (const [name, range] of Object.entries(pkg[field] ?? {})) {
        if (QUERY_PACKAGES.includes(name)) out.push({ where: `${dir} ${field}`, name, range });
      }
    }
  }
  return out;
}

describe('TanStack Query versions', () => {
  const lock = readFileSync(join(root, 'pnpm-lock.yaml'), 'utf8');

  it('the lockfile holds exactly one version of each TanStack Query package, all the same', () => {
    const versions = QUERY_PACKAGES.map((name) => lockedVersions(lock, name));
    for (const list of versions) expect(list).toHaveLength(1);
    expect(new Set(versions.flat()).size).toBe(1);
  });

  it('every package asks for the same range, and the engine takes query-core as a peer', () => {
    const declared = declaredRanges();
    expect(declared.length).toBeGreaterThan(5);
    expect(new Set(declared.map((d) => d.range))).toEqual(new Set([declared[0]!.range]));
    const engine = declared.filter((d) => d.where.startsWith('packages/upload-engine '));
    expect(engine.map((d) => d.where).sort()).toEqual([
      'packages/upload-engine devDependencies',
      'packages/upload-engine peerDependencies',
    ]);
  });
});
