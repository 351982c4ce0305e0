export { CHROMIUM_ARGS, chromiumPath, launchChromium } from './chromium.js';
export { bundleForBrowser } from './bundle.js';
export { serveStatic, type StaticServer } from './static-server.js';
export { makeTempFile, patternByte, sha256File } from './files.js';
