import { describe, expect, it } from 'vitest';
import { layoutPartMap } from '../src/part-map-model.js';
import { packRgba, paintCells } from '../src/part-map-pixels.js';

// One distinct colour per state code: pending, uploading, uploaded, checkpointed, failed.
const COLORS = [
  packRgba(1, 1, 1),
  packRgba(2, 2, 2),
  packRgba(3, 3, 3),
  packRgba(4, 4, 4),
  packRgba(5, 5, 5),
];
const code = (px: number) => COLORS.indexOf(px);

describe('paintCells', () => {
  it('packs colours in the byte order of ImageData (r, g, b, a)', () => {
    const bytes = new Uint8Array(new Uint32Array([packRgba(10, 20, 30, 40)]).buffer);
    expect([...bytes]).toEqual([10, 20, 30, 40]);
  });

  it('paints every cell of a 32,000-part map in its state, transparent in the gaps', () => {
    const states = new Uint8Array(32_000);
    states.fill(3, 0, 20_000);
    states[20_000] = 2;
    states[31_999] = 4;
    const layout = layoutPartMap(states.length, 1000, 132);
    expect(layout.cells).toBe(32_000);
    const pixels = new Uint32Array(layout.width * layout.height);
    paintCells(pixels, layout, states, COLORS);
    const at = (cellIndex: number, dx = 0, dy = 0) => {
      const x = (cellIndex % layout.cols) * layout.pitch + dx;
      const y = Math.floor(cellIndex / layout.cols) * layout.pitch + dy;
      return pixels[y * layout.width + x]!;
    };
    for (const [i, expected] of [
      [0, 3],
      [19_999, 3],
      [20_000, 2],
      [20_001, 0],
      [31_999, 4],
    ] as const) {
      expect(code(at(i)), `cell ${i}`).toBe(expected);
      expect(code(at(i, layout.cell - 1, layout.cell - 1)), `cell ${i}, far corner`).toBe(expected);
    }
    // Every pixel belongs to a cell or is left transparent: nothing outside the palette.
    expect(pixels.every((p) => p === 0 || COLORS.includes(p))).toBe(true);
  });

  it('leaves the gap between larger cells transparent and clears what was there', () => {
    const layout = layoutPartMap(10, 200, 100);
    expect(layout.pitch - layout.cell).toBeGreaterThan(0);
    const pixels = new Uint32Array(layout.width * layout.height).fill(0xdeadbeef);
    paintCells(pixels, layout, new Uint8Array(10).fill(3), COLORS);
    expect(pixels[layout.cell]).toBe(0); // the first gap column, on row 0
    expect(pixels.includes(0xdeadbeef)).toBe(false);
  });

  it('draws uploading and failed parts as larger markers, clipped to the canvas', () => {
    const states = new Uint8Array(32_000).fill(3);
    states[0] = 4; // top-left corner: the marker is clipped, not wrapped
    states[5_001] = 1; // column 1 (cell 5,000 starts a row)
    const layout = layoutPartMap(states.length, 1000, 132);
    const pixels = new Uint32Array(layout.width * layout.height);
    paintCells(pixels, layout, states, COLORS, [1, 4], 4);
    const x = (5_001 % layout.cols) * layout.pitch;
    const y = Math.floor(5_001 / layout.cols) * layout.pitch;
    // The 4-pixel marker reaches one pixel past the 2-pixel cell on each side.
    expect(code(pixels[(y - 1) * layout.width + (x - 1)]!)).toBe(1);
    expect(code(pixels[(y + 2) * layout.width + (x + 2)]!)).toBe(1);
    expect(code(pixels[(y + 3) * layout.width + (x + 3)]!)).toBe(3);
    expect(code(pixels[0]!)).toBe(4);
    expect(code(pixels[layout.width - 1]!)).toBe(3); // row 0's last pixel: no wrap-around
  });

  it('treats unknown state codes as pending', () => {
    const layout = layoutPartMap(3, 100, 50);
    const pixels = new Uint32Array(layout.width * layout.height);
    paintCells(pixels, layout, new Uint8Array([9, 3, 200]), COLORS);
    expect(code(pixels[0]!)).toBe(0);
    expect(code(pixels[2 * layout.pitch]!)).toBe(0);
  });
});
