import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { Builder, By, Origin, type WebDriver } from 'selenium-webdriver';
import { engineFiles } from './engines.js';
import { type BrowserPage, type BrowserSession, callExpression, type Viewport } from './page.js';
import { startXvfb } from './xvfb.js';

/** A free TCP port on loopback, for WebKitWebDriver. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Resolves once WebKitWebDriver answers /status. */
async function driverReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/status`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('WebKitWebDriver did not start within 15 s');
}

/**
 * WebKitGTK's MiniBrowser through WebKitWebDriver and selenium-webdriver (classic WebDriver).
 * MiniBrowser draws a real GTK window, so it runs on an Xvfb display of its own. Every page
 * is a new WebDriver session: a fresh MiniBrowser with an ephemeral profile.
 */
export async function launchWebkitSession(): Promise<BrowserSession> {
  const [miniBrowser, driverBinary, xvfbBinary] = engineFiles('webkit');
  const x = await startXvfb(xvfbBinary);
  const port = await freePort();
  const driver = spawn(driverBinary!, [`--port=${port}`], {
    env: { ...process.env, DISPLAY: x.display },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await driverReady(url, driver);
  } catch (e) {
    driver.kill();
    await x.stop();
    throw e;
  }
  // Should the test process end without close() (a worker torn down after a timeout), the
  // driver and the display must not outlive it; MiniBrowser exits with its X display.
  const orphanGuard = () => {
    driver.kill('SIGKILL');
    x.kill();
  };
  process.once('exit', orphanGuard);
  const open = new Set<WebDriver>();
  return {
    engine: 'webkit',
    async newPage(viewport: Viewport): Promise<BrowserPage> {
      const wd = await new Builder()
        .usingServer(url)
        .withCapabilities({
          browserName: 'MiniBrowser',
          // --full-screen drops MiniBrowser's toolbar, which would keep the window at least
          // 447 px wide; with no window manager on the display the window is then exactly
          // the size WebDriver sets, and so is the page's viewport.
          'webkitgtk:browserOptions': {
            binary: miniBrowser,
            args: ['--automation', '--full-screen'],
          },
        })
        .build();
      open.add(wd);
      await wd.manage().setTimeouts({ script: 120_000, pageLoad: 60_000 });
      await setViewport(wd, viewport);
      return webkitPage(wd, () => open.delete(wd));
    },
    async close() {
      for (const wd of open) await wd.quit().catch(() => undefined);
      open.clear();
      process.off('exit', orphanGuard);
      driver.kill('SIGTERM');
      if (driver.exitCode === null) await once(driver, 'exit');
      await x.stop();
    },
  };
}

/** Sizes the (chrome-less) window, then checks the page got exactly that viewport. */
async function setViewport(wd: WebDriver, viewport: Viewport): Promise<void> {
  await wd
    .manage()
    .window()
    .setRect({ x: 0, y: 0, ...viewport });
  const [width, height] = (await wd.executeScript('return [innerWidth, innerHeight]')) as number[];
  if (width !== viewport.width || height !== viewport.height) {
    throw new Error(
      `webkit: asked for a ${viewport.width}×${viewport.height} viewport, got ${width}×${height}`,
    );
  }
}

function webkitPage(wd: WebDriver, forget: () => void): BrowserPage {
  return {
    engine: 'webkit',
    goto: (url) => wd.get(url),
    reload: () => wd.navigate().refresh(),
    // executeAsyncScript with an explicit callback: it waits for a returned promise in every
    // WebDriver implementation, and an exception comes back as text instead of a hang.
    evaluate: async (fn, ...args) => {
      const out = (await wd.executeAsyncScript(
        `const done = arguments[arguments.length - 1];
         Promise.resolve().then(() => ${callExpression(fn, args)})
           .then((value) => done({ value }), (e) => done({ error: String(e && e.stack || e) }));`,
      )) as { value?: never; error?: string };
      if (out.error !== undefined) throw new Error(`webkit: ${out.error}`);
      return out.value as never;
    },
    // Classic WebDriver types a local path into a file input; with no file detector set,
    // selenium sends the path as is and WebKitWebDriver opens the file directly.
    setInputFiles: async (selector, paths) => {
      await wd.findElement(By.css(selector)).sendKeys(paths.join('\n'));
    },
    clickAt: async (x, y) => {
      await wd
        .actions({ async: true })
        .move({ x: Math.round(x), y: Math.round(y), origin: Origin.VIEWPORT })
        .click()
        .perform();
    },
    // WebKitWebDriver's element screenshots come back all black (WebKitGTK 2.50 under Xvfb),
    // so an element is scrolled to the top of the viewport and the viewport is captured.
    screenshot: async (path, selector) => {
      if (selector) {
        const el = await wd.findElement(By.css(selector));
        await wd.executeScript('arguments[0].scrollIntoView({ block: "start" })', el);
      }
      await writeFile(path, Buffer.from(await wd.takeScreenshot(), 'base64'));
    },
    close: async () => {
      forget();
      await wd.quit();
    },
  };
}
