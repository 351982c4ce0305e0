import type { InitiateUploadResponse } from '@atai-upload/api-client';
import { describe, expect, it, vi } from 'vitest';
import { Checkpointer } from '../src/checkpointer.js';
import { createMemoryStorage, createResumeStore, DEFAULT_RETRY, PartState } from '../src/index.js';
import { applyInitiateAnswer, checkInitiateAnswer } from '../src/initiate-answer.js';
import { ConcurrencyLimiter } from '../src/limiter.js';
import { PartTable } from '../src/part-table.js';
import { ProgressTracker } from '../src/progress.js';
import { fileKey } from '../src/resume-store.js';
import { backoffDelay } from '../src/timing.js';

describe('PartTable', () => {
  it('derives ranges, counts states and finds the next pending part in order', () => {
    const t = new PartTable(10, 4);
    expect([t.numParts, t.length(0), t.length(2), t.offset(2)]).toEqual([3, 4, 2, 8]);
    expect(t.nextPending()).toBe(0);
    t.set(0, PartState.uploading);
    t.set(1, PartState.uploaded);
    expect(t.nextPending()).toBe(2);
    t.set(0, PartState.failed);
    expect(t.nextPending()).toBe(0);
    expect(Array.from(t.counts)).toEqual([1, 0, 1, 0, 1]);
    t.set(2, PartState.checkpointed);
    expect(t.done).toBe(2);
  });

  it('schedules URL refresh before expiry, capped at a quarter of the lifetime', () => {
    const t = new PartTable(8, 4);
    const now = 1_000_000;
    t.setUrl(
      {
        part_number: 0,
        url: 'u0',
        offset: 0,
        length: 4,
        expires_at: new Date(now + 3_600_000).toISOString(),
      },
      now,
      60_000,
    );
    t.setUrl(
      {
        part_number: 1,
        url: 'u1',
        offset: 4,
        length: 4,
        expires_at: new Date(now + 2_000).toISOString(),
      },
      now,
      60_000,
    );
    expect(t.urlIsFresh(0, now + 3_600_000 - 60_001)).toBe(true);
    expect(t.urlIsFresh(0, now + 3_600_000 - 59_999)).toBe(false);
    expect(t.urlIsFresh(1, now + 1_499)).toBe(true);
    expect(t.urlIsFresh(1, now + 1_501)).toBe(false);
  });
});

describe('ProgressTracker', () => {
  it('counts in-flight bytes and rolls them back when an attempt fails', () => {
    const p = new ProgressTracker(100, 10);
    p.inFlight(0, 5, 10);
    p.inFlight(1, 7, 10);
    expect(p.bytesUploaded).toBe(12);
    p.rollback(1);
    expect(p.bytesUploaded).toBe(5);
    p.confirm(0, 10);
    expect(p.bytesUploaded).toBe(10);
    p.inFlight(2, 50, 10); // clamped to the part length
    expect(p.bytesUploaded).toBe(20);
  });

  it('estimates speed and ETA from samples', () => {
    const p = new ProgressTracker(1000, 10);
    p.restartClock(1000);
    p.confirm(0, 100);
    const s = p.snapshot(2000, 1);
    expect(s.speedBps).toBe(100);
    expect(s.etaMs).toBe(9000);
    expect(s.fraction).toBeCloseTo(0.1);
  });
});

describe('backoffDelay', () => {
  it('uses full jitter under a doubling ceiling, and never less than Retry-After', () => {
    expect(backoffDelay(1, DEFAULT_RETRY, undefined, () => 0.999)).toBeCloseTo(499.5);
    expect(backoffDelay(3, DEFAULT_RETRY, undefined, () => 1)).toBe(2000);
    expect(backoffDelay(20, DEFAULT_RETRY, undefined, () => 1)).toBe(30_000);
    expect(backoffDelay(1, DEFAULT_RETRY, 5000, () => 0.5)).toBe(5000);
    expect(backoffDelay(2, DEFAULT_RETRY, undefined, () => 0)).toBe(0);
  });
});

describe('ConcurrencyLimiter', () => {
  it('grants at most `limit` slots, FIFO, and grows at run time', async () => {
    const l = new ConcurrencyLimiter(2);
    const order: number[] = [];
    const r1 = await l.acquire();
    const r2 = await l.acquire();
    const p3 = l.acquire().then((r) => {
      order.push(3);
      return r;
    });
    const p4 = l.acquire().then((r) => {
      order.push(4);
      return r;
    });
    await Promise.resolve();
    expect(order).toEqual([]); // both slots taken: the third waits
    r1();
    r1(); // idempotent
    const r3 = await p3;
    expect(order).toEqual([3]);
    l.setLimit(3);
    const r4 = await p4;
    expect(order).toEqual([3, 4]);
    let fifth = false;
    const p5 = l.acquire().then((r) => {
      fifth = true;
      return r;
    });
    await Promise.resolve();
    expect(fifth).toBe(false); // three slots taken
    r2();
    const r5 = await p5;
    expect(fifth).toBe(true);
    r3();
    r4();
    r5();
    // Every slot is free again: three acquires are granted at once.
    const again = await Promise.all([l.acquire(), l.acquire(), l.acquire()]);
    expect(again).toHaveLength(3);
    expect(() => new ConcurrencyLimiter(0)).toThrow(RangeError);
  });

  it('drops a waiter whose signal aborts', async () => {
    const l = new ConcurrencyLimiter(1);
    const r = await l.acquire();
    const ac = new AbortController();
    const waiting = l.acquire(ac.signal);
    ac.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    r();
    // The aborted waiter took no slot: the next acquire is granted at once.
    const next = await l.acquire();
    expect(typeof next).toBe('function');
  });
});

describe('Checkpointer', () => {
  function setup(batchSize: number, fail = false) {
    const sent: number[][] = [];
    const acked: number[] = [];
    const failed: number[] = [];
    const cp = new Checkpointer({
      batchSize,
      intervalMs: 1000,
      tokenOf: (n) => `"t${n}"`,
      send: async (parts) => {
        sent.push(parts.map((p) => p.part_number));
        if (fail) throw new Error('nope');
      },
      onAcknowledged: (ns) => acked.push(...ns),
      onFailed: (ns) => failed.push(...ns),
    });
    return { cp, sent, acked, failed };
  }

  it('sends a batch when it is full', async () => {
    const { cp, sent, acked } = setup(3);
    cp.add(0);
    cp.add(1);
    expect(sent).toEqual([]);
    cp.add(2);
    await cp.idle();
    expect(sent).toEqual([[0, 1, 2]]);
    expect(acked).toEqual([0, 1, 2]);
    cp.stop();
  });

  it('sends a partial batch after the interval', async () => {
    vi.useFakeTimers();
    try {
      const { cp, sent } = setup(10);
      cp.add(4);
      await vi.advanceTimersByTimeAsync(999);
      expect(sent).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(sent).toEqual([[4]]);
      cp.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports a failed batch and stops sending after stop()', async () => {
    const { cp, failed, sent } = setup(1, true);
    cp.add(7);
    await cp.idle();
    expect(failed).toEqual([7]);
    cp.stop();
    cp.add(8);
    await cp.flush();
    expect(sent).toEqual([[7]]);
  });
});

describe('initiate answers', () => {
  const answer = (over: Partial<InitiateUploadResponse> = {}): InitiateUploadResponse => ({
    upload_id: 'u',
    file_uid: 'f',
    file_name: 'a',
    total_bytes: 10,
    num_parts: 3,
    part_size: 4,
    is_resume: false,
    integrity_algorithm: 'none',
    parts: [0, 1, 2].map((n) => ({
      part_number: n,
      url: `u${n}`,
      offset: n * 4,
      length: n === 2 ? 2 : 4,
      expires_at: '2099-01-01T00:00:00Z',
    })),
    ...over,
  });

  it('accepts a consistent answer and rejects sizes, counts and ranges that do not fit the file', () => {
    expect(() => checkInitiateAnswer(answer(), 10)).not.toThrow();
    expect(() => checkInitiateAnswer(answer(), 11)).toThrow(/total_bytes/);
    expect(() => checkInitiateAnswer(answer({ num_parts: 2 }), 10)).toThrow(/num_parts/);
    const shifted = answer();
    shifted.parts[1] = { ...shifted.parts[1]!, offset: 5 };
    expect(() => checkInitiateAnswer(shifted, 10)).toThrow(/part 1/);
  });

  it('plans a resume: unlisted parts are checkpointed, held tokens are checkpointed, the rest pending', () => {
    const t = new PartTable(10, 4);
    const res = answer({ is_resume: true, parts: answer().parts.slice(1) });
    const plan = applyInitiateAnswer(t, res, { 1: '"t1"' }, 0, 60_000);
    expect(Array.from(t.states)).toEqual([
      PartState.checkpointed,
      PartState.uploaded,
      PartState.pending,
    ]);
    expect(plan).toEqual({
      confirmedBytes: 8,
      resumedBytes: 4,
      toCheckpoint: [{ part_number: 1, part_token: '"t1"' }],
    });
    expect(t.urls).toEqual([undefined, 'u1', 'u2']);
  });

  it('ignores held tokens when the server started a fresh upload', () => {
    const t = new PartTable(10, 4);
    const plan = applyInitiateAnswer(t, answer(), { 0: '"old"' }, 0, 60_000);
    expect(Array.from(t.states)).toEqual([0, 0, 0]);
    expect(plan.toCheckpoint).toEqual([]);
  });
});

describe('resume store', () => {
  it('keeps records across instances on the same storage and drops stale ones on load', async () => {
    const storage = createMemoryStorage();
    const a = createResumeStore({ storage });
    const file = { name: 'a.csv', size: 10, type: 'text/csv', lastModified: 1 };
    const key = fileKey(file);
    a.put({
      key,
      file,
      uploadId: 'u1',
      partSize: 4,
      numParts: 3,
      tokens: {},
      updatedAt: Date.now(),
    });
    a.setToken(key, 2, '"t2"');
    a.put({
      key: 'old',
      file: { ...file, name: 'old.csv' },
      uploadId: 'u0',
      partSize: 4,
      numParts: 3,
      tokens: {},
      updatedAt: Date.now() - 8 * 24 * 3600 * 1000,
    });
    await a.flushed();
    const b = createResumeStore({ storage });
    await b.ready();
    expect(b.get(key)?.tokens).toEqual({ 2: '"t2"' });
    expect(b.findByName('a.csv')?.uploadId).toBe('u1');
    expect(b.get('old')).toBeUndefined();
    b.dropTokens(key, [2]);
    await b.flushed();
    const c = createResumeStore({ storage });
    await c.ready();
    // The checkpointed part now counts as held by the server (part 2 of a 10-byte file: 2 bytes).
    expect(c.get(key)).toMatchObject({ tokens: {}, confirmedParts: 1, confirmedBytes: 2 });
    expect(storage.data.has('old')).toBe(false);
    b.remove(key);
    await b.flushed();
    const d = createResumeStore({ storage });
    await d.ready();
    expect(d.list()).toEqual([]);
  });

  const rec = (name: string, uploadId: string) => {
    const file = { name, size: 10, type: 'text/csv', lastModified: 1 };
    return {
      key: fileKey(file),
      file,
      uploadId,
      partSize: 4,
      numParts: 3,
      tokens: {},
      updatedAt: Date.now(),
    };
  };

  it('two tabs writing different files keep both records, and refresh shows the other tab’s', async () => {
    const storage = createMemoryStorage();
    const tabA = createResumeStore({ storage });
    const tabB = createResumeStore({ storage });
    await Promise.all([tabA.ready(), tabB.ready()]);
    tabA.put(rec('a.csv', 'ua'));
    tabB.put(rec('b.csv', 'ub'));
    tabA.setToken(rec('a.csv', 'ua').key, 0, '"e0"');
    await Promise.all([tabA.flushed(), tabB.flushed()]);
    expect([...storage.data.values()].map((r) => r.uploadId).sort()).toEqual(['ua', 'ub']);
    expect(tabA.get(rec('b.csv', 'ub').key)).toBeUndefined();
    let changes = 0;
    tabA.subscribe(() => changes++);
    await tabA.refresh();
    expect(tabA.get(rec('b.csv', 'ub').key)?.uploadId).toBe('ub');
    expect(tabA.get(rec('a.csv', 'ua').key)?.tokens).toEqual({ 0: '"e0"' });
    expect(changes).toBeGreaterThan(0);
    // A record the other tab removed disappears here on refresh.
    tabB.remove(rec('b.csv', 'ub').key);
    await tabB.flushed();
    await tabA.refresh();
    expect(tabA.get(rec('b.csv', 'ub').key)).toBeUndefined();
  });

  it('ignores stored values that are not records, and deletes them', async () => {
    const storage = createMemoryStorage();
    storage.data.set('junk', { key: 'junk' } as never);
    storage.data.set(rec('ok.csv', 'u').key, rec('ok.csv', 'u'));
    const store = createResumeStore({ storage });
    await store.ready();
    expect(store.list().map((r) => r.uploadId)).toEqual(['u']);
    await store.flushed();
    expect(storage.data.has('junk')).toBe(false);
  });

  it('moves records of the old localStorage format into storage once, then removes them', async () => {
    const local = new Map<string, string>();
    const old = rec('legacy.csv', 'u-legacy');
    local.set(
      'atai-upload:resume',
      JSON.stringify({ state: { records: { [old.key]: old, bad: { nope: 1 } } }, version: 1 }),
    );
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => local.get(k) ?? null,
      removeItem: (k: string) => local.delete(k),
    });
    // Stand in for IndexedDB: the default storage is taken when none is given.
    const idb = createMemoryStorage();
    try {
      const store = createResumeStore({ storage: idb, migrateFrom: 'atai-upload:resume' });
      await store.ready();
      expect(store.get(old.key)?.uploadId).toBe('u-legacy');
      expect(idb.data.get(old.key)?.uploadId).toBe('u-legacy');
      expect(local.has('atai-upload:resume')).toBe(false);
      const again = createResumeStore({ storage: idb, migrateFrom: 'atai-upload:resume' });
      await again.ready();
      expect(again.list()).toHaveLength(1);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
