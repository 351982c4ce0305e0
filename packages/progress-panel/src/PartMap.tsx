import { PART_STATE_NAMES, PartState } from '@atai-upload/engine';
import { type ReactElement, useCallback, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { cx } from './cx.js';
import { formatCount } from './format.js';
import {
  cellStates,
  countPartStates,
  layoutPartMap,
  PART_STATE_LABELS,
  PART_STATE_VARS,
  type PartMapLayout,
  partMapSummary,
  partsDone,
} from './part-map-model.js';
import { packRgba, paintCells } from './part-map-pixels.js';
import type { BaseProps } from './theme.js';

/** Props of {@link PartMap}. */
export interface PartMapProps extends BaseProps {
  /** One byte per part, values are `PartState` codes (0 pending … 4 failed). Mutated in place by the engine. */
  partStates: Uint8Array;
  /** Bumped whenever any byte of `partStates` changes (the snapshot's `partsVersion`); triggers a redraw. */
  version: number;
  /** Heading and accessible-name prefix (default "Parts"). */
  label?: string;
  /** Tallest the grid may grow, in CSS pixels, before cells shrink (default 132). */
  maxHeight?: number;
  /** Show the text legend with per-state counts (default true). */
  legend?: boolean;
  /**
   * Keep the grid exactly this tall (CSS pixels) from the first render, before the part
   * count is known too, with the legend always shown: the map then never changes height
   * when "No parts yet" becomes the grid, and cells shrink to fit instead. Overrides
   * `maxHeight`. Default: none (the grid is as tall as its rows, up to `maxHeight`).
   */
  fixedHeight?: number;
}

// A legend count's width when the height is fixed: "32,000" parts (250 GB in 8 MiB parts),
// so no count, from 0 to the total, widens an item and re-wraps the legend.
const FIXED_COUNT_CH = 6;

// Used when the stylesheet is missing, so the map still draws something legible.
const FALLBACK_COLORS = ['#d4d4d8', '#3b82f6', '#a7dcb9', '#34a865', '#dc2626'];
const EMPHASISED: readonly number[] = [PartState.uploading, PartState.failed];

/** Each state's colour as CSS text (for paths) and packed RGBA (for pixels). */
interface Palette {
  css: string[];
  packed: Uint32Array;
}

/**
 * Reads the state colours from the CSS variables once (reading computed style on every
 * redraw forced a style recalculation each time), and turns each into RGBA by painting it on
 * a 1×1 canvas: the browser parses any CSS colour (oklch, hsl, names) for us.
 */
function resolvePalette(canvas: HTMLCanvasElement): Palette {
  const style = getComputedStyle(canvas);
  const css = PART_STATE_VARS.map(
    (name, code) => style.getPropertyValue(name).trim() || FALLBACK_COLORS[code]!,
  );
  const packed = new Uint32Array(css.length);
  const probe = document.createElement('canvas');
  probe.width = 1;
  probe.height = 1;
  const ctx = probe.getContext('2d', { willReadFrequently: true });
  css.forEach((color, code) => {
    if (!ctx) return;
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = FALLBACK_COLORS[code]!;
    ctx.fillStyle = color; // an unparsable value leaves the fallback in place
    ctx.fillRect(0, 0, 1, 1);
    const [r = 0, g = 0, b = 0, a = 0] = ctx.getImageData(0, 0, 1, 1).data;
    packed[code] = packRgba(r, g, b, a);
  });
  return { css, packed };
}

/** Few, large cells: rounded squares as paths, one fill per state. */
function drawRounded(
  ctx: CanvasRenderingContext2D,
  layout: PartMapLayout,
  cells: Uint8Array,
  colors: readonly string[],
  dpr: number,
): void {
  const { cols, pitch, cell } = layout;
  ctx.clearRect(0, 0, layout.width, layout.height);
  for (let code = 0; code < colors.length; code++) {
    ctx.beginPath();
    let any = false;
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i]!;
      if ((c > 4 ? 0 : c) !== code) continue;
      ctx.roundRect(
        (i % cols) * pitch,
        Math.floor(i / cols) * pitch,
        cell,
        cell,
        Math.round(dpr * 1.5),
      );
      any = true;
    }
    if (!any) continue;
    ctx.fillStyle = colors[code]!;
    ctx.fill();
  }
}

/**
 * The state of every part of a multipart upload, drawn on one `<canvas>`: 30,000 parts
 * are 30,000 rectangles in five fills, not 30,000 DOM nodes. Redraws at most once per
 * animation frame, follows its container's width and the device pixel ratio, and exposes
 * a text summary (`role="img"` + `aria-label`) and a legend for people who can't see it.
 */
export function PartMap({
  partStates,
  version,
  label = 'Parts',
  maxHeight: maxHeightProp = 132,
  legend = true,
  fixedHeight,
  className,
  theme,
}: PartMapProps): ReactElement {
  // `version` is the change signal: the engine mutates `partStates` in place.
  // biome-ignore lint/correctness/useExhaustiveDependencies: version marks in-place mutation
  const counts = useMemo(() => countPartStates(partStates), [partStates, version]);
  const maxHeight = fixedHeight ?? maxHeightProp;
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const latest = useRef({ partStates, maxHeight, width: 0 });
  latest.current.partStates = partStates;
  latest.current.maxHeight = maxHeight;
  const frame = useRef(0);
  const paletteRef = useRef<Palette | null>(null);
  const imageRef = useRef<ImageData | null>(null);

  const draw = useCallback(() => {
    frame.current = 0;
    const canvas = canvasRef.current;
    const wrap = wrapRef.current;
    if (!canvas || !wrap) return;
    const { partStates: states, maxHeight: maxH } = latest.current;
    const cssWidth = latest.current.width || wrap.clientWidth;
    if (cssWidth <= 0 || states.length === 0) return;
    const dpr = window.devicePixelRatio || 1;
    const layout = layoutPartMap(states.length, cssWidth * dpr, maxH * dpr, dpr);
    if (canvas.width !== layout.width) canvas.width = layout.width;
    if (canvas.height !== layout.height) canvas.height = layout.height;
    canvas.style.width = `${layout.width / dpr}px`;
    canvas.style.height = `${layout.height / dpr}px`;
    // happy-dom and some headless setups have no 2D context: keep the layout, skip pixels.
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    if (!paletteRef.current) paletteRef.current = resolvePalette(canvas);
    const palette = paletteRef.current;
    const cells = cellStates(states, layout.partsPerCell);
    if (layout.cell >= 6 * dpr && typeof ctx.roundRect === 'function') {
      drawRounded(ctx, layout, cells, palette.css, dpr);
      return;
    }
    // Small cells (up to 32,000 of them): pixels, not paths (see part-map-pixels.ts). The
    // ImageData is kept while the canvas size holds, so a redraw allocates nothing.
    let image = imageRef.current;
    if (!image || image.width !== layout.width || image.height !== layout.height) {
      image = ctx.createImageData(layout.width, layout.height);
      imageRef.current = image;
    }
    const marker = Math.max(layout.cell, Math.round(3 * dpr));
    paintCells(
      new Uint32Array(image.data.buffer),
      layout,
      cells,
      palette.packed,
      EMPHASISED,
      marker,
    );
    ctx.putImageData(image, 0, 0);
  }, []);

  const schedule = useCallback(() => {
    if (frame.current !== 0) return;
    frame.current = requestAnimationFrame(draw);
  }, [draw]);

  // New colours: read the variables again at the next redraw.
  const recolor = useCallback(() => {
    paletteRef.current = null;
    schedule();
  }, [schedule]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a theme change changes the colours
  useEffect(recolor, [recolor, theme]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: each of these changes what is drawn
  useEffect(schedule, [schedule, partStates, version, maxHeight]);
  // When the number of parts changes, size (and draw) the canvas before the browser paints:
  // drawn a frame later, the map would first show at the stylesheet's height, then jump.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the part count sets the layout
  useLayoutEffect(draw, [draw, partStates.length]);

  useEffect(() => {
    const wrap = wrapRef.current;
    const cleanups: Array<() => void> = [
      () => {
        cancelAnimationFrame(frame.current);
        frame.current = 0;
      },
    ];
    if (wrap && typeof ResizeObserver === 'function') {
      const observer = new ResizeObserver((entries) => {
        const width = entries[0]?.contentRect.width ?? 0;
        if (width !== latest.current.width) {
          latest.current.width = width;
          schedule();
        }
      });
      observer.observe(wrap);
      cleanups.push(() => observer.disconnect());
    }
    // Cell colours come from CSS variables: redraw when the colour scheme or theme flips.
    if (typeof window.matchMedia === 'function') {
      const media = window.matchMedia('(prefers-color-scheme: dark)');
      media.addEventListener?.('change', recolor);
      cleanups.push(() => media.removeEventListener?.('change', recolor));
    }
    if (typeof MutationObserver === 'function') {
      const observer = new MutationObserver(recolor);
      observer.observe(document.documentElement, {
        attributes: true,
        attributeFilter: ['data-theme', 'class', 'style'],
      });
      cleanups.push(() => observer.disconnect());
    }
    return () => {
      for (const cleanup of cleanups) cleanup();
    };
  }, [schedule, recolor]);

  const summary = partMapSummary(counts, label === 'Parts' ? 'Part map' : label);
  return (
    <div data-theme={theme} className={cx('au-root au:flex au:flex-col au:gap-2.5', className)}>
      {/* The count follows the label, left-aligned: right-aligned, it would move each tick. */}
      <div className="au:flex au:items-baseline au:gap-3 au:text-xs">
        <span className="au:font-medium au:text-fg">{label}</span>
        <span className="au:min-w-0 au:truncate au:text-muted au:tabular-nums">
          {formatCount(partsDone(counts))} of {formatCount(counts.total)} done
        </span>
      </div>
      <div
        ref={wrapRef}
        className="au:w-full au:min-w-0"
        style={fixedHeight === undefined ? undefined : { height: fixedHeight }}
      >
        {counts.total === 0 ? (
          <p
            className={cx(
              'au:rounded-md au:bg-subtle au:px-3 au:text-center au:text-xs au:text-muted',
              fixedHeight === undefined
                ? 'au:py-4'
                : 'au:flex au:h-full au:items-center au:justify-center',
            )}
          >
            No parts yet
          </p>
        ) : (
          <canvas
            ref={canvasRef}
            role="img"
            aria-label={summary}
            className="au:block au:h-3 au:max-w-full"
          />
        )}
      </div>
      {legend && (counts.total > 0 || fixedHeight !== undefined) && (
        <ul className="au:flex au:flex-wrap au:gap-x-4 au:gap-y-1 au:text-xs au:text-muted">
          {PART_STATE_NAMES.map((name) => (
            <li key={name} className="au:inline-flex au:items-center au:gap-1.5">
              <span
                aria-hidden="true"
                className="au:size-2.5 au:rounded-[3px]"
                style={{ background: `var(--au-part-${name})` }}
              />
              {PART_STATE_LABELS[name]}
              {/* As wide as the total's digits, so a count going from 9 to 10 moves no item. */}
              <span
                className="au:font-medium au:text-fg au:tabular-nums"
                style={{
                  minWidth: `${fixedHeight === undefined ? formatCount(counts.total).length : FIXED_COUNT_CH}ch`,
                }}
              >
                {formatCount(counts[name])}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
