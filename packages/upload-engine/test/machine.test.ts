import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createUploadController, type ResumeRecord, type UploadController } from '../src/index.js';
import {
  can,
  type GuardContext,
  hasTag,
  MACHINE,
  machineDiagram,
  transition,
  UPLOAD_EVENTS,
  UPLOAD_STATUSES,
  type UploadEventType,
  type UploadStatus,
} from '../src/machine.js';
import { FakeServer, fakeOptions, makeFile } from './fakes.js';

describe('state table', () => {
  it('every target names a status, and every status is reachable from idle', () => {
    const seen = new Set<UploadStatus>(['idle']);
    const todo: UploadStatus[] = ['idle'];
    while (todo.length) {
      const from = todo.pop()!;
      for (const e of UPLOAD_EVENTS) {
        for (const g of [0, 1, 2, 3, 4, 5, 6, 7]) {
          const guards = { prepared: (g & 1) > 0, hasFile: (g & 2) > 0, hasHandle: (g & 4) > 0 };
          const to = transition(from, e, guards);
          if (to === undefined) continue;
          expect(UPLOAD_STATUSES).toContain(to);
          if (!seen.has(to)) {
            seen.add(to);
            todo.push(to);
          }
        }
      }
    }
    expect([...seen].sort()).toEqual([...UPLOAD_STATUSES].sort());
  });

  it('a guard picks its branch from the context', () => {
    const g = { prepared: true, hasFile: true, hasHandle: false };
    expect(transition('paused', 'RESUME', g)).toBe('initiating');
    expect(transition('paused', 'RESUME', { ...g, prepared: false })).toBe('preparing');
    expect(transition('failed', 'RETRY', { ...g, prepared: false })).toBe('preparing');
    // Resume of an interrupted upload needs a stored handle; without one it is refused.
    expect(transition('interrupted', 'RESUME', { ...g, hasHandle: true })).toBe('reopening');
    expect(transition('interrupted', 'RESUME', g)).toBeUndefined();
    // Taking over from another tab: straight on with the file, else wait for a pick.
    expect(transition('elsewhere', 'LOCK_ACQUIRED', g)).toBe('preparing');
    expect(transition('elsewhere', 'LOCK_ACQUIRED', { ...g, hasFile: false })).toBe('interrupted');
  });

  it('tags agree with what the statuses do', () => {
    for (const s of UPLOAD_STATUSES) {
      // Statuses with an effect do network work, except waiting for another tab to let go.
      expect(hasTag(s, 'active')).toBe(MACHINE[s].invoke !== undefined && s !== 'elsewhere');
      expect(hasTag(s, 'resting') && hasTag(s, 'active')).toBe(false);
      // A final status can always start a new file; nothing else can.
      expect(can(s, 'START')).toBe(hasTag(s, 'resting'));
    }
    expect(UPLOAD_STATUSES.filter((s) => hasTag(s, 'final'))).toEqual([
      'completed',
      'failed',
      'aborted',
    ]);
  });

  it('the README diagram and status table are the table', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const mermaid = (md: string) => /```mermaid\n([\s\S]*?)\n```/.exec(md)?.[1];
    expect(mermaid(readme)).toBe(machineDiagram());
    const root = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(mermaid(root)).toBe(machineDiagram());
    const code = (x: string) => `\`${x}\``;
    const cells = (line: string) =>
      line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
    const statusCells = new Set(UPLOAD_STATUSES.map(code));
    const rows = readme
      .split('\n')
      .filter((l) => l.startsWith('| '))
      .map(cells)
      .filter((c) => statusCells.has(c[0]!));
    expect(rows).toEqual(
      UPLOAD_STATUSES.map((s) => {
        const n = MACHINE[s];
        return [
          code(s),
          n.tags.map(code).join(', ') || '—',
          n.entry ? code(n.entry) : '—',
          n.invoke ? code(n.invoke) : '—',
          n.summary,
        ];
      }),
    );
  });
});

/**
 * Drives a real controller (on the fake server) into each status, then sends every event
 * through its public actions: a legal one must land where the table says, an illegal one
 * must be refused and change nothing.
 */
describe('the controller obeys the table', () => {
  type Setup = (c: UploadController, server: FakeServer) => Promise<void>;
  const hold = (server: FakeServer) => {
    server.gate = new Promise(() => {});
  };
  const waitFor = async (c: UploadController, s: UploadStatus) => {
    for (let i = 0; i < 500 && c.getSnapshot().status !== s; i++)
      await new Promise((r) => setTimeout(r, 2));
    expect(c.getSnapshot().status).toBe(s);
  };
  const record = (handle?: FileSystemFileHandle): ResumeRecord => ({
    key: '["old.csv",8,"text/csv",1]',
    file: { name: 'old.csv', size: 8, type: 'text/csv', lastModified: 1 },
    uploadId: 'upl-old',
    partSize: 4,
    numParts: 2,
    tokens: {},
    updatedAt: Date.now(),
    ...(handle ? { handle } : {}),
  });
  /** What the guards see after each setup. */
  const guardsAfter: Partial<Record<UploadStatus, GuardContext>> = {
    interrupted: { prepared: false, hasFile: false, hasHandle: false },
  };
  const reach: Partial<Record<UploadStatus, Setup>> = {
    idle: async () => {},
    interrupted: async (c) => {
      await c.recover(record());
    },
    uploading: async (c, server) => {
      hold(server);
      await c.start(makeFile(8));
      await waitFor(c, 'uploading');
    },
    paused: async (c, server) => {
      hold(server);
      await c.start(makeFile(8));
      await waitFor(c, 'uploading');
      c.pause();
    },
    completed: async (c) => {
      await c.start(makeFile(8));
      await c.settled();
    },
    failed: async (c, server) => {
      server.putFault = () => new Error('boom');
      await c.start(makeFile(8));
      await c.settled();
    },
    aborted: async (c, server) => {
      hold(server);
      await c.start(makeFile(8));
      await waitFor(c, 'uploading');
      await c.cancel();
    },
  };
  /** The public action that sends each user event (other events come from effects). */
  const act: Partial<Record<UploadEventType, (c: UploadController) => unknown>> = {
    PAUSE: (c) => c.pause(),
    RESUME: (c) => c.resume(),
    RETRY: (c) => c.retry(),
    CANCEL: (c) => c.cancel(),
    RESET: (c) => c.reset(),
  };

  for (const [status, setup] of Object.entries(reach) as [UploadStatus, Setup][]) {
    for (const [event, send] of Object.entries(act) as [
      UploadEventType,
      (c: UploadController) => unknown,
    ][]) {
      const guards = guardsAfter[status] ?? { prepared: true, hasFile: true, hasHandle: false };
      const target = transition(status, event, guards);
      const legal = target !== undefined;
      it(`${status} + ${event}: ${legal ? `moves on (${target})` : 'refused'}`, async () => {
        const server = new FakeServer();
        const c = createUploadController(fakeOptions(server));
        try {
          await setup(c, server);
          expect(c.getSnapshot().status).toBe(status);
          const pick = ({
            status,
            error,
            uploadId,
            pauseReason,
          }: ReturnType<typeof c.getSnapshot>) => ({
            status,
            error,
            uploadId,
            pauseReason,
          });
          const before = pick(c.getSnapshot());
          const seen: UploadStatus[] = [];
          const unsub = c.store.subscribe((s) => {
            if (s.status !== seen.at(-1)) seen.push(s.status);
          });
          const answer = await send(c);
          unsub();
          expect(answer).toBe(legal);
          if (legal) expect(seen[0]).toBe(target);
          else {
            expect(seen).toEqual([]);
            expect(pick(c.getSnapshot())).toEqual(before);
          }
        } finally {
          c.dispose();
        }
      });
    }
  }
});
