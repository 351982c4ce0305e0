import { describe, expect, it } from 'vitest';
import {
  can,
  legalEvents,
  transition,
  UPLOAD_STATUSES,
  type UploadEventType,
  type UploadStatus,
} from '../src/index.js';

const EVENTS: UploadEventType[] = [
  'START',
  'PREPARED',
  'INITIATED',
  'ALL_PARTS_UPLOADED',
  'COMPLETED',
  'PAUSE',
  'RESUME',
  'FAIL',
  'RETRY',
  'CANCEL',
  'ABORTED',
  'RESET',
];

describe('state machine', () => {
  it('has exactly the documented legal moves', () => {
    const moves: string[] = [];
    for (const s of UPLOAD_STATUSES)
      for (const e of EVENTS) {
        const to = transition(s, e);
        if (to) moves.push(`${s} -${e}-> ${to}`);
        expect(can(s, e)).toBe(to !== undefined);
      }
    expect(moves).toEqual([
      'idle -START-> preparing',
      'preparing -PREPARED-> initiating',
      'preparing -PAUSE-> paused',
      'preparing -FAIL-> failed',
      'preparing -CANCEL-> aborting',
      'initiating -INITIATED-> uploading',
      'initiating -PAUSE-> paused',
      'initiating -FAIL-> failed',
      'initiating -CANCEL-> aborting',
      'uploading -ALL_PARTS_UPLOADED-> completing',
      'uploading -PAUSE-> paused',
      'uploading -FAIL-> failed',
      'uploading -CANCEL-> aborting',
      'paused -RESUME-> initiating',
      'paused -FAIL-> failed',
      'paused -CANCEL-> aborting',
      'completing -COMPLETED-> completed',
      'completing -FAIL-> failed',
      'completing -CANCEL-> aborting',
      'completed -START-> preparing',
      'completed -RESET-> idle',
      'failed -START-> preparing',
      'failed -RETRY-> initiating',
      'failed -CANCEL-> aborting',
      'failed -RESET-> idle',
      'aborting -ABORTED-> aborted',
      'aborted -START-> preparing',
      'aborted -RESET-> idle',
    ]);
  });

  it('reaches every status from idle', () => {
    const seen = new Set<UploadStatus>(['idle']);
    const todo: UploadStatus[] = ['idle'];
    while (todo.length) {
      const s = todo.pop()!;
      for (const e of legalEvents(s)) {
        const to = transition(s, e)!;
        if (!seen.has(to)) {
          seen.add(to);
          todo.push(to);
        }
      }
    }
    expect([...seen].sort()).toEqual([...UPLOAD_STATUSES].sort());
  });

  it('rejects illegal moves', () => {
    expect(transition('completed', 'PAUSE')).toBeUndefined();
    expect(transition('paused', 'COMPLETED')).toBeUndefined();
    expect(transition('aborted', 'RESUME')).toBeUndefined();
    expect(transition('uploading', 'START')).toBeUndefined();
  });
});
