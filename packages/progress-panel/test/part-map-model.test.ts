import { PartState } from '@atai-upload/engine';
import { describe, expect, it } from 'vitest';
import { makePartStates, progressFromParts } from '../src/fixtures.js';
import {
  cellStates,
  countPartStates,
  layoutPartMap,
  partMapSummary,
  partsDone,
} from '../src/part-map-model.js';

describe('countPartStates', () => {
  it('counts every state and treats unknown codes as pending', () => {
    const counts = countPartStates(Uint8Array.from([0, 1, 2, 3, 3, 4, 9]));
    expect(counts).toEqual({
      pending: 2,
      uploading: 1,
      uploaded: 1,
      checkpointed: 2,
      failed: 1,
      total: 7,
    });
    expect(partsDone(counts)).toBe(3);
  });
});

describe('partMapSummary', () => {
  it('reads like the spec', () => {
    const states = makePartStates(30_000, {
      checkpointed: 1_000,
      uploaded: 204,
      uploading: 4,
      failed: 1,
    });
    expect(partMapSummary(countPartStates(states))).toBe(
      'Part map: 1,204 of 30,000 parts done, 4 uploading, 1 failed',
    );
  });

  it('leaves out zero uploading and failed, and says "part" for one', () => {
    expect(partMapSummary(countPartStates(Uint8Array.of(PartState.uploaded)))).toBe(
      'Part map: 1 of 1 part done',
    );
  });
});

describe('layoutPartMap', () => {
  it('fits 30,000 parts into the height with one part per cell', () => {
    const layout = layoutPartMap(30_000, 680, 132);
    expect(layout.partsPerCell).toBe(1);
    expect(layout.rows * layout.pitch).toBeLessThanOrEqual(132);
    expect(layout.cols * layout.rows).toBeGreaterThanOrEqual(30_000);
    expect(layout.cols * layout.pitch).toBeLessThanOrEqual(680);
  });

  it('uses big cells with gaps for few parts', () => {
    const layout = layoutPartMap(96, 680, 132, 2);
    expect(layout.pitch).toBe(28);
    expect(layout.cell).toBeLessThan(layout.pitch);
  });

  it('buckets parts when there are more than pixels', () => {
    const layout = layoutPartMap(200_000, 300, 100);
    expect(layout.partsPerCell).toBeGreaterThan(1);
    expect(layout.height).toBeLessThanOrEqual(100);
    expect(layout.cells * layout.partsPerCell).toBeGreaterThanOrEqual(200_000);
  });
});

describe('cellStates', () => {
  it('passes parts through when each has a cell', () => {
    const states = Uint8Array.of(0, 1, 2);
    expect(cellStates(states, 1)).toBe(states);
  });

  it('shows the most pressing state of a bucket', () => {
    const states = Uint8Array.of(3, 3, 4, 2, 3, 1, 0, 3, 3, 2, 3, 3);
    expect(Array.from(cellStates(states, 3))).toEqual([
      PartState.failed,
      PartState.uploading,
      PartState.pending,
      PartState.uploaded,
    ]);
  });
});

describe('fixtures', () => {
  it('makePartStates gives exact counts, deterministically', () => {
    const mix = { checkpointed: 11_800, uploaded: 404, uploading: 8, failed: 2 };
    const a = makePartStates(30_000, mix, 4);
    const counts = countPartStates(a);
    expect(counts).toMatchObject({ ...mix, pending: 30_000 - 12_214 });
    expect(makePartStates(30_000, mix, 4)).toEqual(a);
  });

  it('progressFromParts agrees with the part states', () => {
    const states = makePartStates(100, { checkpointed: 40, uploaded: 10, uploading: 2 });
    const p = progressFromParts(states, 1000, 100_000, { speedBps: 1000, inflight: 0.5 });
    expect(p).toMatchObject({
      partsDone: 50,
      partsTotal: 100,
      bytesConfirmed: 50_000,
      bytesUploaded: 51_000,
    });
    expect(p.etaMs).toBe(49_000);
    expect(p.fraction).toBeCloseTo(0.51);
  });
});
