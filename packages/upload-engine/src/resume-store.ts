import { createJSONStorage, persist, type StateStorage } from 'zustand/middleware';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { FileIdentity } from './types.js';

/**
 * What survives a page reload for one file: which server upload it belongs to
 * and the tokens of parts uploaded but not yet checkpointed. Checkpointed parts
 * are the server's to remember, so the record stays small (at most a
 * checkpoint batch plus the in-flight parts). Never holds credentials.
 */
export interface ResumeRecord {
  key: string;
  file: FileIdentity;
  uploadId: string;
  partSize: number;
  numParts: number;
  /** part number → ETag, for parts uploaded and not yet checkpointed. */
  tokens: Record<string, string>;
  updatedAt: number;
}

/** Persistence of {@link ResumeRecord}s. */
export interface ResumeStore {
  get(key: string): ResumeRecord | undefined;
  /** The newest record for a file name (to detect a different file under the same name). */
  findByName(name: string): ResumeRecord | undefined;
  put(record: ResumeRecord): void;
  setToken(key: string, partNumber: number, token: string): void;
  dropTokens(key: string, partNumbers: readonly number[]): void;
  remove(key: string): void;
  /** Every record, newest first (e.g. to list unfinished uploads after a reload). */
  list(): ResumeRecord[];
}

/** The identity key: a file is "the same" when name, size, type and mtime all match. */
export function fileKey(f: FileIdentity): string {
  return JSON.stringify([f.name, f.size, f.type, f.lastModified]);
}

/** A `StateStorage` in memory; also what tests use to simulate a reload. */
export function createMemoryStorage(): StateStorage & { readonly data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => {
      data.set(k, v);
    },
    removeItem: (k) => {
      data.delete(k);
    },
  };
}

function defaultStorage(): StateStorage {
  try {
    if (typeof localStorage !== 'undefined') return localStorage;
  } catch {
    // Access can throw (sandboxed iframes, disabled storage): fall back to memory.
  }
  return createMemoryStorage();
}

interface RecordsState {
  records: Record<string, ResumeRecord>;
}

/** Options of {@link createResumeStore}. */
export interface ResumeStoreOptions {
  /** Where records live. Default `localStorage` (memory when unavailable). */
  storage?: StateStorage;
  /** Storage key. Default `atai-upload:resume`. */
  name?: string;
  /**
   * Records untouched for longer are dropped when the store loads: the server will have
   * expired those uploads anyway. Default 7 days.
   */
  maxAgeMs?: number;
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

/** Resume records kept by zustand's `persist` middleware. */
export function createResumeStore(options: ResumeStoreOptions = {}): ResumeStore {
  const store: StoreApi<RecordsState> = createStore<RecordsState>()(
    persist(() => ({ records: {} }), {
      name: options.name ?? 'atai-upload:resume',
      version: 1,
      storage: createJSONStorage(() => options.storage ?? defaultStorage()),
      // Drop stale records as they load, so abandoned uploads do not pile up in localStorage.
      merge: (persisted, current) => {
        const records = (persisted as Partial<RecordsState> | undefined)?.records ?? {};
        const oldest = Date.now() - (options.maxAgeMs ?? WEEK_MS);
        const fresh = Object.fromEntries(
          Object.entries(records).filter(([, r]) => r.updatedAt >= oldest),
        );
        return { ...current, records: fresh };
      },
    }),
  );
  const update = (key: string, fn: (r: ResumeRecord) => ResumeRecord) => {
    const r = store.getState().records[key];
    if (r) store.setState({ records: { ...store.getState().records, [key]: fn(r) } });
  };
  return {
    get: (key) => store.getState().records[key],
    findByName(name) {
      let best: ResumeRecord | undefined;
      for (const r of Object.values(store.getState().records)) {
        if (r.file.name === name && (!best || r.updatedAt > best.updatedAt)) best = r;
      }
      return best;
    },
    put(record) {
      store.setState({ records: { ...store.getState().records, [record.key]: record } });
    },
    setToken(key, n, token) {
      update(key, (r) => ({ ...r, tokens: { ...r.tokens, [n]: token }, updatedAt: Date.now() }));
    },
    dropTokens(key, parts) {
      update(key, (r) => {
        const tokens = { ...r.tokens };
        for (const n of parts) delete tokens[n];
        return { ...r, tokens, updatedAt: Date.now() };
      });
    },
    remove(key) {
      const { [key]: _gone, ...rest } = store.getState().records;
      store.setState({ records: rest });
    },
    list: () => Object.values(store.getState().records).sort((a, b) => b.updatedAt - a.updatedAt),
  };
}
