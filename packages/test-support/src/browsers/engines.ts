import { existsSync } from 'node:fs';
import table from '../../browsers.json';

/** The browser engines the end-to-end tests run in, each a Debian package (never a downloaded build). */
export type Engine = 'chromium' | 'firefox' | 'webkit';

export const ENGINES: readonly Engine[] = ['chromium', 'firefox', 'webkit'];

/**
 * What each engine needs on disk and which Debian packages provide it. The same table
 * (browsers.json) drives scripts/browsers.mjs, which installs what is missing before `npm test`.
 */
export const ENGINE_INFO: Readonly<
  Record<Engine, { label: string; files: readonly string[]; apt: readonly string[] }>
> = table;

/** Paths of the engine's binaries, in the order of browsers.json. */
export function engineFiles(engine: Engine): readonly string[] {
  // CHROMIUM_PATH lets a machine with Chromium elsewhere run the Chromium tests.
  if (engine === 'chromium' && process.env.CHROMIUM_PATH) return [process.env.CHROMIUM_PATH];
  return ENGINE_INFO[engine].files;
}

/** Whether every file the engine needs is installed. */
export function engineInstalled(engine: Engine): boolean {
  return engineFiles(engine).every((f) => existsSync(f));
}
