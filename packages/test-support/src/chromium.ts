import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import table from '../browsers.json';

/**
 * Flags for Chromium on this machine: no sandbox as root, no calls to Google's hosts. One list
 * in browsers.json, which vitest.config.ts and the screenshot script read too.
 */
export const CHROMIUM_ARGS: string[] = table.chromium.flags;

/** Debian's Chromium (installed by `.ci/run` through apt), or CHROMIUM_PATH. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p): p is string => !!p && existsSync(p));
}

/** Launches Debian's Chromium through playwright-core (never a downloaded browser). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) {
    throw new Error(
      'Chromium not found: install it with `apt-get install -y chromium` (what .ci/run does)',
    );
  }
  return chromium.launch({
    executablePath,
    headless: true,
    // playwright gives every launch a fresh temporary profile of its own.
    args: CHROMIUM_ARGS,
  });
}
