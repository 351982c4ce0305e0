import { describe, expect, it } from 'vitest';
import { BROWSERS, enginesFor, missingEngines, setupPlan } from '../browsers.mjs';

// The set-up `npm test` and .ci/run share: which browsers a command line needs, which are
// missing, and whether it installs them or stops with the command to run.
describe('browser set-up', () => {
  it('needs every engine when no project is named, and only the named projects’ otherwise', () => {
    expect(enginesFor([])).toEqual(['chromium', 'firefox', 'webkit']);
    expect(enginesFor(['--project', 'unit', '--project=dom'])).toEqual([]);
    expect(enginesFor(['--project', 'storybook'])).toEqual(['chromium']);
    expect(enginesFor(['--project=integration', '--project', 'e2e'])).toEqual([
      'chromium',
      'firefox',
      'webkit',
    ]);
  });

  it('counts an engine missing when any of its files is, and honours CHROMIUM_PATH', () => {
    const only =
      (...present: string[]) =>
      (path: string) =>
        present.includes(path);
    const [miniBrowser, driver] = BROWSERS.webkit.files;
    expect(missingEngines(['webkit'], only(miniBrowser, driver), {})).toEqual(['webkit']);
    expect(missingEngines(['chromium', 'firefox'], only('/usr/bin/firefox-esr'), {})).toEqual([
      'chromium',
    ]);
    expect(
      missingEngines(['chromium'], only('/opt/chrome'), { CHROMIUM_PATH: '/opt/chrome' }),
    ).toEqual([]);
  });

  it('installs as root with apt, and otherwise stops with the exact command', () => {
    const plan = setupPlan(['firefox', 'webkit'], { root: true, apt: true });
    expect(plan.action).toBe('install');
    expect(plan.command).toBe(
      'apt-get install -y --no-install-recommends firefox-esr webkit2gtk-driver xvfb',
    );
    expect(setupPlan(['chromium'], { root: false, apt: true })).toMatchObject({
      action: 'stop',
      command: 'apt-get install -y --no-install-recommends chromium',
    });
    expect(setupPlan(['chromium'], { root: true, apt: false }).action).toBe('stop');
    expect(setupPlan([], { root: false, apt: false }).action).toBe('none');
  });
});
