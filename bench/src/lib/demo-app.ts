/**
 * The demo app as a user gets it (Vite's production build), served on 127.0.0.1 for the
 * soak. Built by the demo's own Vite in a child process, so the bench takes no Vite
 * dependency and builds exactly what `pnpm --filter @atai-upload/demo build` would.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type StaticServer, serveDir } from '@atai-upload/test-support';

const demoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'apps', 'demo');

export interface DemoApp extends StaticServer {
  /** The demo's URL pointed at an API with a key (the demo reads both from its query). */
  urlFor(apiUrl: string, apiKey: string): string;
}

export async function serveDemoApp(): Promise<DemoApp> {
  const outDir = mkdtempSync(join(tmpdir(), 'atai-soak-demo-'));
  await promisify(execFile)(
    join(demoRoot, 'node_modules', '.bin', 'vite'),
    ['build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: demoRoot, env: { ...process.env, NODE_ENV: 'production' } },
  );
  const site = await serveDir(outDir);
  return {
    ...site,
    urlFor: (apiUrl, apiKey) =>
      `${site.url}/?apiBaseUrl=${encodeURIComponent(apiUrl)}&apiKey=${encodeURIComponent(apiKey)}`,
    async close() {
      await site.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
