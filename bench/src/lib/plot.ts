/**
 * The soak's plot as a self-contained SVG: memory (top) and throughput (bottom) over the run's
 * minutes, with the reload and the 10/50/90 % byte marks drawn across both. Hand-written
 * because it is ~100 lines and a charting library would pull a DOM or a canvas into the bench.
 */

export interface PlotSeries {
  label: string;
  colour: string;
  /** [x, y] points; y null leaves a gap. */
  points: Array<[number, number | null]>;
}

export interface PlotPanel {
  title: string;
  unit: string;
  series: PlotSeries[];
}

export interface PlotMark {
  x: number;
  label: string;
  dashed?: boolean;
}

const W = 1000;
const PANEL_H = 170;
const LEFT = 70;
const RIGHT = 20;
const TOP = 56;
const GAP = 96;

/** Round steps (1, 2, 5 × 10^n) giving about `count` ticks up to `max`. */
function ticks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * pow >= raw) ?? 10) * pow;
  // Up to the first step at or past `max`, so nothing is drawn outside the axes.
  const n = Math.max(1, Math.ceil(max / step - 1e-9));
  return Array.from({ length: n + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

/**
 * Rough width of sans-serif text (no layout engine here): ~0.56 em per character, which
 * errs wide for the labels we write, so text placed by it does not collide.
 */
const textWidth = (text: string, fontSize: number) => text.length * fontSize * 0.56;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function plotSvg(opts: {
  title: string;
  subtitle: string;
  xLabel: string;
  panels: PlotPanel[];
  marks: PlotMark[];
}): string {
  const xs = opts.panels.flatMap((p) => p.series.flatMap((s) => s.points.map(([x]) => x)));
  const xMax = Math.max(1e-9, ...xs);
  const xTicks = ticks(xMax, 10);
  const xSpan = xTicks.at(-1)! || xMax;
  const plotW = W - LEFT - RIGHT;
  const height = TOP + opts.panels.length * (PANEL_H + GAP);
  const px = (x: number) => LEFT + (x / xSpan) * plotW;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" role="img" font-family="sans-serif" font-size="12">`,
    `<title>${esc(opts.title)}: ${esc(opts.subtitle)}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    // A long title is set smaller rather than cut off at the right edge (bold runs wider).
    `<text x="${LEFT}" y="22" font-size="${Math.min(16, Math.floor((W - LEFT - 8) / (opts.title.length * 0.62)))}" font-weight="bold">${esc(opts.title)}</text>`,
    `<text x="${LEFT}" y="40" fill="#444">${esc(opts.subtitle)}</text>`,
  ];
  opts.panels.forEach((panel, i) => {
    const top = TOP + i * (PANEL_H + GAP) + 10;
    const ys = panel.series.flatMap((s) =>
      s.points.map(([, y]) => y).filter((y): y is number => y !== null),
    );
    const yTicks = ticks(Math.max(1e-9, ...ys) * 1.05, 4);
    const ySpan = yTicks.at(-1)! || 1;
    const py = (y: number) => top + PANEL_H - (y / ySpan) * PANEL_H;
    out.push(
      `<text x="${LEFT}" y="${top - 8}" font-weight="bold">${esc(panel.title)} (${esc(panel.unit)})</text>`,
    );
    for (const y of yTicks) {
      out.push(
        `<line x1="${LEFT}" x2="${W - RIGHT}" y1="${py(y)}" y2="${py(y)}" stroke="#e4e4e4"/>`,
        `<text x="${LEFT - 6}" y="${py(y) + 4}" text-anchor="end" fill="#555">${y}</text>`,
      );
    }
    for (const x of xTicks) {
      out.push(
        `<line x1="${px(x)}" x2="${px(x)}" y1="${top}" y2="${top + PANEL_H}" stroke="#f0f0f0"/>`,
        `<text x="${px(x)}" y="${top + PANEL_H + 16}" text-anchor="middle" fill="#555">${x}</text>`,
      );
    }
    out.push(
      `<text x="${LEFT + plotW / 2}" y="${top + PANEL_H + 34}" text-anchor="middle" fill="#333">${esc(opts.xLabel)}</text>`,
    );
    for (const m of opts.marks) {
      out.push(
        `<line x1="${px(m.x)}" x2="${px(m.x)}" y1="${top}" y2="${top + PANEL_H}" stroke="${m.dashed ? '#c0392b' : '#999'}" stroke-dasharray="${m.dashed ? '6 4' : '2 3'}"/>`,
        // Dashed marks (events) label lower down than the plain ones (byte marks) they may meet.
        `<text x="${px(m.x) + 3}" y="${top + (m.dashed ? 28 : 12)}" fill="${m.dashed ? '#c0392b' : '#777'}">${esc(m.label)}</text>`,
      );
    }
    for (const s of panel.series) {
      let d = '';
      let pen = false;
      for (const [x, y] of s.points) {
        if (y === null) {
          pen = false;
          continue;
        }
        d += `${pen ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`;
        pen = true;
      }
      if (d) out.push(`<path d="${d}" fill="none" stroke="${s.colour}" stroke-width="1.6"/>`);
    }
    // Each legend entry starts after the one before it, however long that label is.
    let lx = LEFT + 10;
    for (const s of panel.series) {
      const ly = top + PANEL_H + 54;
      out.push(
        `<line x1="${lx}" x2="${lx + 20}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.colour}" stroke-width="3"/>`,
        `<text x="${lx + 26}" y="${ly}">${esc(s.label)}</text>`,
      );
      lx += 26 + textWidth(s.label, 12) + 24;
    }
    out.push(
      `<rect x="${LEFT}" y="${top}" width="${plotW}" height="${PANEL_H}" fill="none" stroke="#888"/>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
