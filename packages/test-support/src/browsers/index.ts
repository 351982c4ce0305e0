import { launchChromiumSession } from './chromium.js';
import type { Engine } from './engines.js';
import { launchFirefoxSession } from './firefox.js';
import type { BrowserSession } from './page.js';
import { launchWebkitSession } from './webkit.js';

export { ENGINE_INFO, ENGINES, type Engine, engineInstalled } from './engines.js';
export {
  type BrowserPage,
  type BrowserSession,
  centreOf,
  click,
  type Viewport,
  waitUntil,
} from './page.js';

/** Starts one browser of `engine`; close the session when done. */
export function launchEngine(engine: Engine): Promise<BrowserSession> {
  switch (engine) {
    case 'chromium':
      return launchChromiumSession();
    case 'firefox':
      return launchFirefoxSession();
    case 'webkit':
      return launchWebkitSession();
  }
}
export {
  readShiftRecorder,
  type ShiftRecorderOptions,
  type ShiftReport,
  startShiftRecorder,
  stopShiftRecorder,
  waitForTicks,
} from './layout-shift.js';
