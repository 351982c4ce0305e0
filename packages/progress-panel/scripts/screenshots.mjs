#!/usr/bin/env node
// Screenshots of a few stories from the static Storybook build, for visual review:
//   pnpm build-storybook && node packages/progress-panel/scripts/screenshots.mjs
// Serves storybook-static on 127.0.0.1 and drives Debian's Chromium (never a downloaded browser).
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const dir = join(root, 'storybook-static');
const out = join(root, 'test-output', 'ui');
if (!existsSync(join(dir, 'iframe.html'))) throw new Error('Run `pnpm build-storybook` first');
mkdirSync(out, { recursive: true });

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
    /^(\.\.[/\\])+/,
    '',
  );
  const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
  if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();

const shots = process.argv.slice(2).length
  ? process.argv.slice(2).map((arg) => arg.split('='))
  : [
      ['uploading-light', 'progress-panel-uploadpanel--uploading'],
      ['failed-corrupt-dark', 'progress-panel-uploadpanel--failed-corrupt-dark'],
      ['completed', 'progress-panel-uploadpanel--completed-verified'],
      ['queue', 'progress-panel-uploadlist--queue'],
      ['part-map-30k', 'progress-panel-partmap--thirty-thousand-parts'],
      ['drop-zone', 'progress-panel-dropzone--default'],
      ['uploading-dark', 'progress-panel-uploadpanel--uploading-dark'],
      ['queue-dark', 'progress-panel-uploadlist--queue-dark'],
      ['paused-offline', 'progress-panel-uploadpanel--paused-offline'],
    ];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  // The project's one list of Chromium flags.
  args: JSON.parse(readFileSync(join(root, 'packages/test-support/browsers.json'), 'utf8')).chromium
    .flags,
});
try {
  const page = await browser.newPage({
    viewport: { width: 960, height: 700 },
    deviceScaleFactor: 2,
  });
  for (const [name, id] of shots) {
    await page.goto(`http://127.0.0.1:${port}/iframe.html?id=${id}&viewMode=story`, {
      waitUntil: 'networkidle',
    });
    await page.waitForSelector('#storybook-root > *');
    await page.waitForTimeout(400); // one animation frame for the part map, settled transitions
    const path = join(out, `${name}.png`);
    await page.screenshot({ path, fullPage: true, animations: 'disabled' });
    console.log(path);
  }
} finally {
  await browser.close();
  server.close();
}
