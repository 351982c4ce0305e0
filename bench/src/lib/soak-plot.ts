/**
 * What a soak run records (see soak.ts) and its plot. Apart from the run so that a plot can
 * be drawn again from a run's JSON (`soak-plot.ts`) without uploading 250 GiB again.
 */
import { fmtSize } from './args.js';
import { type PlotMark, plotSvg } from './plot.js';
import type { SoakEngine } from './soak-page.js';

const MiB = 1024 ** 2;
/** Memory at a milestone is the peak over this many seconds before it. */
const MILESTONE_WINDOW_S = 60;

export interface Sample {
  /** Seconds since the file was picked. */
  t: number;
  bytes: number;
  /** MB/s confirmed by storage since the previous sample. */
  mbps: number | null;
  heap: number | null;
  browserRss: number;
  /** RssAnon summed over the browser's processes (absent in runs before it was sampled). */
  browserAnon?: number;
  processes: Array<{ role: string; rss: number; anon?: number }>;
  emulatorRss: number;
  commits: number;
  longTasks: number | null;
  longTaskMs: number | null;
  state: string | null;
}

/** What a soak uploads through (see soak.ts's `--app`). */
export type SoakApp = 'demo' | 'bare' | 'hook' | 'hook-nocrc' | 'hook-inline';

const APP_LABELS: Record<SoakApp, string> = {
  demo: 'demo',
  bare: 'bare page',
  hook: 'hook page (CRC-32C on)',
  'hook-nocrc': 'hook page (CRC-32C off)',
  'hook-inline': 'hook page (CRC-32C on the main thread)',
};

export interface RunResult {
  engine: SoakEngine;
  /** The page uploaded through (absent in runs from before `--app`: the demo). */
  app?: SoakApp;
  ok: boolean;
  error?: string;
  wallS: number;
  mbps: number;
  crc: string;
  resentBytes: number;
  wastedBytes: number;
  reload?: {
    atS: number;
    bytes: number;
    inFlightParts: number[];
    shelfMs: number;
    resumeMs: number;
  };
  milestones: Array<{
    fraction: number;
    t: number;
    heap: number | null;
    browserRss: number;
    browserAnon?: number;
    emulatorRss: number;
    /** The same peak per process role (processes of one role summed), to tell where memory went. */
    roles?: Record<string, number>;
    /** The same for RssAnon. */
    rolesAnon?: Record<string, number>;
  }>;
  flat: { browserRss: number; browserAnon?: number; heap: number | null; emulatorRss: number };
  /** Seconds from the last byte stored to the upload completed (the checksum's wait). */
  completeS?: number | null;
  samples: Sample[];
}

const ENGINE_LABELS: Record<string, string> = {
  chromium: 'Chromium',
  'chromium-pipe': 'Chromium (bare DevTools pipe, no Network domain)',
  firefox: 'Firefox ESR',
};

/** RssAnon summed over a sample's processes of one role; null where it was not sampled. */
function roleAnon(s: Sample, role: string): number | null {
  const ps = s.processes.filter((p) => p.role === role && p.anon !== undefined);
  return ps.length ? ps.reduce((sum, p) => sum + (p.anon ?? 0), 0) : null;
}

/** The run as an SVG: one panel per memory figure, then throughput, with the reload and byte marks. */
export function soakPlot(r: RunResult, size: number, intervalS: number): string {
  const min = (s: Sample) => s.t / 60;
  const mem = (label: string, colour: string, f: (s: Sample) => number | null) => ({
    label,
    colour,
    points: r.samples.map((s): [number, number | null] => {
      const v = f(s);
      return [min(s), v === null ? null : v / MiB];
    }),
  });
  const marks: PlotMark[] = r.milestones.map((m) => ({
    x: m.t / 60,
    label: m.fraction < 1 ? `${m.fraction * 100} %` : 'all stored',
  }));
  if (r.reload) marks.push({ x: r.reload.atS / 60, label: 'reload', dashed: true });
  return plotSvg({
    title: `Soak: ${fmtSize(size)} through the ${APP_LABELS[r.app ?? 'demo']} in ${ENGINE_LABELS[r.engine] ?? r.engine}, 4 connections, discard storage`,
    subtitle: r.ok
      ? `${(r.wallS / 60).toFixed(1)} min, ${r.mbps.toFixed(1)} MB/s mean, CRC-32C ${r.crc.split(' ')[0]}, re-sent ${fmtSize(r.resentBytes)}; sampled every ${intervalS} s`
      : `did not complete: ${(r.error ?? '').split(' (')[0]!.slice(0, 90)}; re-sent ${fmtSize(r.resentBytes)}; sampled every ${intervalS} s`,
    xLabel: 'minutes since the file was picked',
    panels: [
      // One panel per figure: on a shared axis a 10 MiB heap would be a flat line under a
      // 1 GiB browser, whatever it did.
      {
        title: 'Browser memory',
        unit: 'MiB',
        series: [
          mem('RSS summed over every browser process', '#1f6feb', (s) => s.browserRss),
          ...(r.samples.some((s) => s.browserAnon !== undefined)
            ? [
                mem(
                  'anonymous RSS (RssAnon) of the same processes',
                  '#8250df',
                  (s) => s.browserAnon ?? null,
                ),
              ]
            : []),
        ],
      },
      ...(r.samples.some((s) => s.processes.some((p) => p.anon !== undefined))
        ? [
            {
              // The browser's main process alone: where per-request bookkeeping lives, and a
              // few MiB of growth there vanish under the whole browser's scale.
              title: "The browser's main process",
              unit: 'MiB',
              series: [mem('anonymous RSS (RssAnon)', '#0a7d5a', (s) => roleAnon(s, 'browser'))],
            },
          ]
        : []),
      ...(r.samples.some((s) => s.heap !== null)
        ? [
            {
              title: 'Page JS heap',
              unit: 'MiB',
              series: [
                mem('JSHeapUsedSize of the tab (DevTools protocol)', '#e67e22', (s) => s.heap),
              ],
            },
          ]
        : []),
      {
        title: 'Emulator memory',
        unit: 'MiB',
        series: [mem('emulator RSS', '#7f8c8d', (s) => s.emulatorRss)],
      },
      {
        title: 'Throughput confirmed by storage',
        unit: 'MB/s',
        series: [
          {
            label: `MB/s over each ${intervalS} s`,
            colour: '#27ae60',
            points: r.samples.map((s): [number, number | null] => [min(s), s.mbps]),
          },
        ],
      },
    ],
    marks,
  });
}

/** Memory at 10, 50, 90 and 100 % of the bytes, and its spread over those points. */
export function memoryAt(samples: Sample[], size: number): Pick<RunResult, 'milestones' | 'flat'> {
  if (samples.length === 0)
    return { milestones: [], flat: { browserRss: 0, heap: null, emulatorRss: 0 } };
  // Garbage-collected memory saws up and down (Firefox's RSS by ~25 % every few seconds), so
  // one sample says more about the phase of the saw than about growth: each milestone takes
  // the peak of the samples within a minute before the point, the same window at every point.
  const milestones = [0.1, 0.5, 0.9, 1].map((fraction) => {
    const s = samples.find((x) => x.bytes >= fraction * size) ?? samples.at(-1)!;
    const window = samples.filter((x) => x.t <= s.t && x.t >= s.t - MILESTONE_WINDOW_S);
    const peak = (f: (x: Sample) => number | null) => {
      const vs = window.map(f).filter((v): v is number => v !== null);
      return vs.length > 0 ? Math.max(...vs) : null;
    };
    const roles: Record<string, number> = {};
    const rolesAnon: Record<string, number> = {};
    for (const x of window) {
      const sums = new Map<string, [number, number]>();
      for (const p of x.processes) {
        const [rss, anon] = sums.get(p.role) ?? [0, 0];
        sums.set(p.role, [rss + p.rss, anon + (p.anon ?? 0)]);
      }
      for (const [role, [rss, anon]] of sums) {
        roles[role] = Math.max(roles[role] ?? 0, rss);
        rolesAnon[role] = Math.max(rolesAnon[role] ?? 0, anon);
      }
    }
    return {
      fraction,
      t: s.t,
      roles,
      rolesAnon,
      heap: peak((x) => x.heap),
      browserRss: peak((x) => x.browserRss) ?? s.browserRss,
      ...(s.browserAnon === undefined
        ? {}
        : { browserAnon: peak((x) => x.browserAnon ?? null) ?? 0 }),
      emulatorRss: peak((x) => x.emulatorRss) ?? s.emulatorRss,
    };
  });
  const spread = (vs: number[]) => Math.max(...vs) / Math.min(...vs) - 1;
  const heaps = milestones.map((m) => m.heap);
  return {
    milestones,
    flat: {
      browserRss: spread(milestones.map((m) => m.browserRss)),
      ...(milestones.every((m) => m.browserAnon !== undefined)
        ? { browserAnon: spread(milestones.map((m) => m.browserAnon ?? 0)) }
        : {}),
      heap: heaps.every((h): h is number => h !== null) ? spread(heaps) : null,
      emulatorRss: spread(milestones.map((m) => m.emulatorRss)),
    },
  };
}
