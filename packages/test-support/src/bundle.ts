import { build } from 'esbuild';

/**
 * Bundles a TypeScript entry for a browser page (ESM, workspace packages from
 * source), returning the JavaScript text.
 */
export async function bundleForBrowser(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    conditions: ['source', 'browser', 'module'],
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}
