export { bundleForBrowser } from './bundle.js';
export { CHROMIUM_ARGS, chromiumPath, launchChromium } from './chromium.js';
export { makeTempFile, patternByte, sha256File } from './files.js';
export { type StaticServer, serveStatic } from './static-server.js';
export type { Browser, Page } from 'playwright-core';
