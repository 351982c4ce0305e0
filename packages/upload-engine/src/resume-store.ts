import { createStore as createIdbStore, del, entries, set } from 'idb-keyval';
import { partLength } from './part-table.js';
import type { FileIdentity } from './types.js';

/**
 * What survives a page reload for one file: which server upload it belongs to, the tokens of
 * parts uploaded but not yet checkpointed, what the server is known to hold (for the recovery
 * shelf), and, where the browser has the File System Access API, a handle to the file so it
 * can be reopened without a pick. Checkpointed parts are the server's to remember, so the
 * record stays small (at most a checkpoint batch plus the in-flight parts). Never holds
 * credentials.
 */
export interface ResumeRecord {
  key: string;
  file: FileIdentity;
  uploadId: string;
  partSize: number;
  numParts: number;
  /** part number → ETag, for parts uploaded and not yet checkpointed. */
  tokens: Record<string, string>;
  /** Bytes the server is known to hold (checkpointed parts), for display before any request. */
  confirmedBytes?: number;
  /** Parts the server is known to hold. */
  confirmedParts?: number;
  /** When the upload was first started in this browser. */
  createdAt?: number;
  updatedAt: number;
  /**
   * The file, where the browser lets a page keep it (`FileSystemFileHandle`, Chromium): stored
   * by IndexedDB's structured clone, so a reload can reopen the file after a permission prompt.
   */
  handle?: FileSystemFileHandle;
  /**
   * CRC-32C of the file's first `parts` parts, computed in this browser: a resumed upload
   * hashes only the parts after them for the whole-file checksum. Kept every 64 parts.
   */
  crcPrefix?: { parts: number; crc: number };
}

/**
 * Where records are kept. One entry per file, so two tabs writing their own files never
 * overwrite each other (a single serialised map would: last writer wins).
 */
export interface RecordStorage {
  entries(): Promise<ReadonlyArray<readonly [string, unknown]>>;
  set(key: string, record: ResumeRecord): Promise<void>;
  del(key: string): Promise<void>;
}

/**
 * Persistence of {@link ResumeRecord}s. Reads are synchronous, from what was loaded; writes
 * update that at once and reach storage in order, in the background.
 */
export interface ResumeStore {
  /** Loads the stored records (once; migrates old `localStorage` records on the way). */
  ready(): Promise<void>;
  /** Re-reads storage, after pending writes: records another tab wrote become visible. */
  refresh(): Promise<void>;
  get(key: string): ResumeRecord | undefined;
  /** The newest record for a file name (to detect a different file under the same name). */
  findByName(name: string): ResumeRecord | undefined;
  put(record: ResumeRecord): void;
  /** Changes some fields of a record (no-op when there is none). */
  update(key: string, patch: Partial<Omit<ResumeRecord, 'key'>>): void;
  setToken(key: string, partNumber: number, token: string): void;
  /** Drops checkpointed tokens and counts their parts as held by the server. */
  dropTokens(key: string, partNumbers: readonly number[]): void;
  /** Keeps the CRC-32C of the file's first `parts` parts (see `ResumeRecord.crcPrefix`). */
  setCrcPrefix(key: string, parts: number, crc: number): void;
  remove(key: string): void;
  /** Every record, newest first. */
  list(): ResumeRecord[];
  /** Called after every change (local, or seen by `refresh`). */
  subscribe(listener: () => void): () => void;
  /** Resolves once every write made so far has reached storage. */
  flushed(): Promise<void>;
}

/** The identity key: a file is "the same" when name, size, type and mtime all match. */
export function fileKey(f: FileIdentity): string {
  return JSON.stringify([f.name, f.size, f.type, f.lastModified]);
}

/** Records in memory: what Node and tests use; a second store on the same one is a "reload". */
export function createMemoryStorage(): RecordStorage & {
  readonly data: Map<string, ResumeRecord>;
} {
  const data = new Map<string, ResumeRecord>();
  return {
    data,
    entries: async () => [...data.entries()],
    set: async (k, v) => {
      // A copy, as IndexedDB keeps one (not structuredClone: test handles hold functions).
      data.set(k, { ...v, tokens: { ...v.tokens } });
    },
    del: async (k) => {
      data.delete(k);
    },
  };
}

/** Records in IndexedDB (database `atai-upload`, object store `resume`) through idb-keyval. */
export function createIndexedDbStorage(
  dbName = 'atai-upload',
  storeName = 'resume',
): RecordStorage {
  const db = createIdbStore(dbName, storeName);
  return {
    entries: () => entries(db),
    set: (k, v) => set(k, v, db),
    del: (k) => del(k, db),
  };
}

function hasIndexedDb(): boolean {
  try {
    return typeof indexedDB !== 'undefined' && indexedDB !== null;
  } catch {
    return false; // access can throw in sandboxed frames
  }
}

/** Options of {@link createResumeStore}. */
export interface ResumeStoreOptions {
  /** Where records live. Default IndexedDB, memory where the page has none. */
  storage?: RecordStorage;
  /**
   * The `localStorage` key of the older record format (a zustand `persist` map), moved into
   * `storage` once and then removed. Default `atai-upload:resume` with the default storage,
   * none with a given `storage`; `false` skips it.
   */
  migrateFrom?: string | false;
  /**
   * Records untouched for longer are dropped when the store loads: the server will have
   * expired those uploads anyway. Default 7 days.
   */
  maxAgeMs?: number;
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

/** A stored value is used only when it has the shape of a record (storage is user-writable). */
function isRecord(v: unknown): v is ResumeRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Partial<ResumeRecord>;
  const f = r.file as Partial<FileIdentity> | undefined;
  return (
    typeof r.key === 'string' &&
    typeof r.uploadId === 'string' &&
    typeof r.partSize === 'number' &&
    typeof r.numParts === 'number' &&
    typeof r.updatedAt === 'number' &&
    typeof r.tokens === 'object' &&
    r.tokens !== null &&
    typeof f?.name === 'string' &&
    typeof f.size === 'number' &&
    typeof f.lastModified === 'number'
  );
}

/** Reads the older `localStorage` map (zustand persist: `{ state: { records }, version }`). */
function readLegacy(name: string): ResumeRecord[] | undefined {
  try {
    if (typeof localStorage === 'undefined') return undefined;
    const raw = localStorage.getItem(name);
    if (raw === null) return undefined;
    const parsed = JSON.parse(raw) as { state?: { records?: Record<string, unknown> } };
    return Object.values(parsed.state?.records ?? {}).filter(isRecord);
  } catch {
    return []; // unreadable: nothing to migrate, but still remove it
  }
}

function dropLegacy(name: string): void {
  try {
    localStorage.removeItem(name);
  } catch {
    // Storage disabled: nothing was read either.
  }
}

/**
 * Resume records in a write-through cache over {@link RecordStorage}. Why not zustand's
 * `persist` any more: it serialises the whole map on every change, so two tabs uploading
 * different files overwrite each other's records, and JSON cannot hold a file handle.
 */
export function createResumeStore(options: ResumeStoreOptions = {}): ResumeStore {
  const storage =
    options.storage ?? (hasIndexedDb() ? createIndexedDbStorage() : createMemoryStorage());
  // Migrate into the default storage by default; into a given one only when asked.
  const legacyName =
    options.migrateFrom ?? (options.storage === undefined ? 'atai-upload:resume' : false);
  const maxAge = options.maxAgeMs ?? WEEK_MS;
  let records = new Map<string, ResumeRecord>();
  // Keys this page changed while a load was reading storage: its own newer state wins.
  let touched = new Set<string>();
  const listeners = new Set<() => void>();
  // Writes are chained so they reach storage in the order they were made.
  let writes: Promise<void> = Promise.resolve();
  const emit = () => {
    for (const l of listeners) l();
  };
  const write = (op: () => Promise<void>) => {
    writes = writes.then(op).catch(() => {
      // Quota or a closed database: the in-memory record still drives this page.
    });
  };
  const save = (r: ResumeRecord) => {
    records.set(r.key, r);
    touched.add(r.key);
    write(() => storage.set(r.key, r));
    emit();
  };

  const load = async (): Promise<void> => {
    touched = new Set();
    await writes;
    const loaded = new Map<string, ResumeRecord>();
    const oldest = Date.now() - maxAge;
    for (const [k, v] of await storage.entries()) {
      if (isRecord(v) && v.updatedAt >= oldest) loaded.set(String(k), v);
      else write(() => storage.del(String(k)));
    }
    if (legacyName !== false) {
      const legacy = readLegacy(legacyName);
      if (legacy) {
        for (const r of legacy) {
          if (!loaded.has(r.key) && r.updatedAt >= oldest) {
            loaded.set(r.key, r);
            write(() => storage.set(r.key, r));
          }
        }
        await writes;
        dropLegacy(legacyName);
      }
    }
    // What this page changed since the load began wins over what storage held.
    for (const k of touched) {
      const mine = records.get(k);
      if (mine) loaded.set(k, mine);
      else loaded.delete(k);
    }
    records = loaded;
    emit();
  };
  let loading: Promise<void> | undefined;

  return {
    ready: () => {
      loading ??= load();
      return loading;
    },
    refresh: () => {
      loading = load();
      return loading;
    },
    get: (key) => records.get(key),
    findByName(name) {
      let best: ResumeRecord | undefined;
      for (const r of records.values()) {
        if (r.file.name === name && (!best || r.updatedAt > best.updatedAt)) best = r;
      }
      return best;
    },
    put(record) {
      save({
        ...record,
        createdAt: record.createdAt ?? records.get(record.key)?.createdAt ?? record.updatedAt,
      });
    },
    update(key, patch) {
      const r = records.get(key);
      if (r) save({ ...r, ...patch, key, updatedAt: Date.now() });
    },
    setToken(key, n, token) {
      const r = records.get(key);
      if (r) save({ ...r, tokens: { ...r.tokens, [n]: token }, updatedAt: Date.now() });
    },
    dropTokens(key, parts) {
      const r = records.get(key);
      if (!r) return;
      const tokens = { ...r.tokens };
      let bytes = r.confirmedBytes ?? 0;
      for (const n of parts) {
        delete tokens[n];
        bytes += partLength(r.file.size, r.partSize, n);
      }
      save({
        ...r,
        tokens,
        confirmedBytes: bytes,
        confirmedParts: (r.confirmedParts ?? 0) + parts.length,
        updatedAt: Date.now(),
      });
    },
    setCrcPrefix(key, parts, crc) {
      const r = records.get(key);
      if (r) save({ ...r, crcPrefix: { parts, crc }, updatedAt: Date.now() });
    },
    remove(key) {
      if (!records.delete(key)) return;
      touched.add(key);
      write(() => storage.del(key));
      emit();
    },
    list: () => [...records.values()].sort((a, b) => b.updatedAt - a.updatedAt),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    flushed: () => writes,
  };
}

let shared: ResumeStore | undefined;

/**
 * The page's one default store: every controller and queue without a `resumeStore` of its own
 * shares it, so they read and write one cache (and load storage once).
 */
export function defaultResumeStore(): ResumeStore {
  shared ??= createResumeStore();
  return shared;
}
