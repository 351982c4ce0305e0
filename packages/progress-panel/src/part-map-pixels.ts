/**
 * Paints a dense part map straight into a canvas's pixels. A 250 GB upload has 32,000 parts:
 * drawn as 32,000 path rectangles, one redraw cost Chromium's software canvas ~50 ms of
 * rasterising, and redraws at the pace parts change (several a second) kept the page's main
 * thread in 200 ms long tasks for the whole upload. Writing the pixels of each cell into an
 * `ImageData` and putting it once is O(canvas pixels) of plain array writes, about a
 * millisecond for the same map. Pure (no DOM), so it is unit-tested in Node.
 */
import type { PartMapLayout } from './part-map-model.js';

/** Whether a Uint32 written over RGBA bytes puts R in its lowest byte (every browser CPU today). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** One colour as the Uint32 that writes bytes `r, g, b, a` into an `ImageData` buffer. */
export function packRgba(r: number, g: number, b: number, a = 255): number {
  return LITTLE_ENDIAN
    ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0
    : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
}

/**
 * Fills `pixels` (the canvas's `width × height` pixels, row by row) with one square per cell
 * in its state's colour (`colors[code]`, codes above 4 as pending), transparent between them.
 * Cells in an `emphasised` state are then drawn again as `marker`-sized squares centred on
 * their cell, so a lone uploading or failed part stays visible among 30,000.
 */
export function paintCells(
  pixels: Uint32Array,
  layout: PartMapLayout,
  cells: Uint8Array,
  colors: ArrayLike<number>,
  emphasised: readonly number[] = [],
  marker = layout.cell,
): void {
  const { width, height, cols, pitch, cell } = layout;
  pixels.fill(0);
  const square = (x0: number, y0: number, size: number, color: number) => {
    const x1 = Math.min(width, x0 + size);
    const y1 = Math.min(height, y0 + size);
    for (let y = Math.max(0, y0); y < y1; y++) {
      const row = y * width;
      for (let x = Math.max(0, x0); x < x1; x++) pixels[row + x] = color;
    }
  };
  const count = Math.min(cells.length, layout.cells);
  for (let i = 0, col = 0, x = 0, y = 0; i < count; i++) {
    const code = cells[i]!;
    square(x, y, cell, colors[code > 4 ? 0 : code]!);
    if (++col === cols) {
      col = 0;
      x = 0;
      y += pitch;
    } else {
      x += pitch;
    }
  }
  if (marker <= cell || emphasised.length === 0) return;
  const offset = Math.floor((marker - cell) / 2);
  for (let i = 0; i < count; i++) {
    const code = cells[i]!;
    if (!emphasised.includes(code)) continue;
    const x = (i % cols) * pitch - offset;
    const y = Math.floor(i / cols) * pitch - offset;
    square(Math.max(0, x), Math.max(0, y), marker, colors[code]!);
  }
}
