/**
 * Pure part-map logic (counting and grid layout), kept apart from the canvas so it is
 * unit-tested in Node and costs O(parts) with no allocation per part.
 */
import { PART_STATE_NAMES, PartState, type PartStateName } from '@atai-upload/engine';
import { formatCount } from './format.js';

/** How many parts are in each state, plus the total. */
export type PartCounts = Record<PartStateName, number> & { total: number };

/** Counts part states in one pass; unknown byte values count as pending. */
export function countPartStates(partStates: Uint8Array): PartCounts {
  const tally = [0, 0, 0, 0, 0];
  for (let i = 0; i < partStates.length; i++) {
    const code = partStates[i]!;
    tally[code < 5 ? code : 0]! += 1;
  }
  return {
    pending: tally[PartState.pending]!,
    uploading: tally[PartState.uploading]!,
    uploaded: tally[PartState.uploaded]!,
    checkpointed: tally[PartState.checkpointed]!,
    failed: tally[PartState.failed]!,
    total: partStates.length,
  };
}

/** Parts whose bytes are stored (uploaded, or uploaded and checkpointed). */
export function partsDone(counts: PartCounts): number {
  return counts.uploaded + counts.checkpointed;
}

/** The accessible summary: "Part map: 1,204 of 30,000 parts done, 4 uploading, 1 failed". */
export function partMapSummary(counts: PartCounts, label = 'Part map'): string {
  const parts = counts.total === 1 ? 'part' : 'parts';
  let text = `${label}: ${formatCount(partsDone(counts))} of ${formatCount(counts.total)} ${parts} done`;
  if (counts.uploading > 0) text += `, ${formatCount(counts.uploading)} uploading`;
  if (counts.failed > 0) text += `, ${formatCount(counts.failed)} failed`;
  return text;
}

/** Where cells go on the canvas, in device pixels. */
export interface PartMapLayout {
  /** Distance between cell origins. */
  pitch: number;
  /** Drawn size of a cell (pitch minus the gap). */
  cell: number;
  cols: number;
  rows: number;
  /** Parts shown by one cell (1 unless the map is too dense to give every part a pixel). */
  partsPerCell: number;
  /** Number of cells drawn. */
  cells: number;
  /** Canvas size. */
  width: number;
  height: number;
}

/**
 * Picks the largest cell that lets all parts fit in `maxHeight`; past one device pixel per
 * part, each cell stands for several parts. All sizes are device pixels.
 */
export function layoutPartMap(
  parts: number,
  width: number,
  maxHeight: number,
  dpr = 1,
): PartMapLayout {
  const w = Math.max(1, Math.floor(width));
  const maxH = Math.max(1, Math.floor(maxHeight));
  const maxPitch = Math.max(2, Math.round(14 * dpr));
  // A gap only where cells stay solid: on tiny cells a 1-pixel gap washes the colours out.
  const gapFor = (pitch: number): number =>
    pitch >= 8 * dpr ? Math.max(1, Math.round(dpr * 1.5)) : pitch >= 6 ? 1 : 0;
  for (let pitch = maxPitch; pitch >= 1; pitch--) {
    const cols = Math.max(1, Math.floor(w / pitch));
    const rows = Math.ceil(parts / cols);
    if (rows * pitch <= maxH) {
      const height = Math.max(pitch, rows * pitch);
      return {
        pitch,
        cell: pitch - gapFor(pitch),
        cols,
        rows,
        partsPerCell: 1,
        cells: parts,
        width: w,
        height,
      };
    }
  }
  // Denser than one pixel per part: bucket parts into 2-pixel cells.
  const pitch = Math.min(2, maxH);
  const cols = Math.max(1, Math.floor(w / pitch));
  const capacity = cols * Math.max(1, Math.floor(maxH / pitch));
  const partsPerCell = Math.ceil(parts / capacity);
  const cells = Math.ceil(parts / partsPerCell);
  const rows = Math.ceil(cells / cols);
  return { pitch, cell: pitch, cols, rows, partsPerCell, cells, width: w, height: rows * pitch };
}

// Which state a bucket of parts shows: problems first, then activity, then what is left.
const BUCKET_PRIORITY: readonly number[] = [
  PartState.failed,
  PartState.uploading,
  PartState.pending,
  PartState.uploaded,
  PartState.checkpointed,
];

/**
 * The state code each cell shows. With one part per cell that is the part's own state;
 * with buckets, the most pressing state inside the bucket (a failure is never hidden).
 */
export function cellStates(partStates: Uint8Array, partsPerCell: number): Uint8Array {
  if (partsPerCell <= 1) return partStates;
  const cells = Math.ceil(partStates.length / partsPerCell);
  const out = new Uint8Array(cells);
  const seen = [false, false, false, false, false];
  for (let c = 0; c < cells; c++) {
    seen.fill(false);
    const end = Math.min(partStates.length, (c + 1) * partsPerCell);
    for (let i = c * partsPerCell; i < end; i++) seen[Math.min(4, partStates[i]!)] = true;
    out[c] = BUCKET_PRIORITY.find((code) => seen[code]) ?? PartState.pending;
  }
  return out;
}

/** Legend order and labels of the part states. */
export const PART_STATE_LABELS: Readonly<Record<PartStateName, string>> = {
  pending: 'Pending',
  uploading: 'Uploading',
  uploaded: 'Uploaded',
  checkpointed: 'Checkpointed',
  failed: 'Failed',
};

/** The CSS custom property holding each state's colour. */
export const PART_STATE_VARS: readonly string[] = PART_STATE_NAMES.map(
  (name) => `--au-part-${name}`,
);
