export type { Browser, Page } from 'playwright-core';
export * from './browsers/index.js';
export { bundleForBrowser } from './bundle.js';
export { CHROMIUM_ARGS, chromiumPath, launchChromium } from './chromium.js';
export { makeTempFile, sha256File, sha256Response } from './files.js';
export { serveDir } from './static-dir.js';
export { listenLocal, type StaticServer, serveStatic } from './static-server.js';
