import { DropZone } from '@atai-upload/progress-panel';
import {
  type AddFilesOptions,
  createFilesApiClient,
  DOCUMENTED_FILE_TYPES,
  fileAcceptAttribute,
  useUploadQueue,
} from '@atai-upload/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { FileRow } from './FileRow';
import { PickStatus } from './PickStatus';
import { QueueSummary } from './QueueSummary';
import { RecoveryShelf } from './RecoveryShelf';
import { SettingsDrawer } from './SettingsDrawer';
import { useSettings } from './settings';

/**
 * The demo: drop files, watch them upload. The queue is rebuilt (its uploads paused,
 * their resume records kept) when the connection or the checkpoint settings change,
 * because those are read when an upload starts.
 */
const ACCEPT = fileAcceptAttribute(DOCUMENTED_FILE_TYPES);

/** A picked file and, where the browser gives one, its handle. */
interface Picked {
  file: File;
  handle: FileSystemFileHandle | undefined;
}

type DemoWindow = Window & {
  __ataiDemo?: { add(file: File, handle?: FileSystemFileHandle): Promise<void> };
};

export function App() {
  const s = useSettings();
  const [drawer, setDrawer] = useState(false);
  useEffect(() => {
    const root = document.documentElement;
    if (s.theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = s.theme;
  }, [s.theme]);
  const key = `${s.apiBaseUrl}|${s.apiKey}|${s.checkpointBatchSize}|${s.checkpointIntervalMs}`;
  return (
    <div className="min-h-screen">
      <header className="border-b border-[var(--demo-border)] bg-[var(--demo-card)]">
        <div className="mx-auto flex max-w-4xl items-center justify-between gap-4 px-6 py-4">
          <div>
            <h1 className="text-lg font-semibold tracking-tight">Big uploads</h1>
            <p className="text-sm text-[var(--demo-muted)]">
              Resumable multipart uploads of files up to 250 GB, straight to storage.
            </p>
          </div>
          <div className="flex items-center gap-3">
            {s.chaos && (
              <span className="rounded-full bg-amber-100 px-2.5 py-1 text-xs font-medium text-amber-900">
                Chaos on
              </span>
            )}
            <button
              type="button"
              onClick={() => setDrawer(true)}
              className="rounded-lg border border-[var(--demo-border)] px-3 py-1.5 text-sm font-medium hover:bg-black/5 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 dark:hover:bg-white/5"
            >
              Settings
            </button>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-4xl px-6 py-8">
        <Uploader key={key} />
      </main>
      <SettingsDrawer open={drawer} onClose={() => setDrawer(false)} />
    </div>
  );
}

function Uploader() {
  const s = useSettings.getState();
  const concurrency = useSettings((x) => x.concurrency);
  const autoStart = useSettings((x) => x.autoStart);
  const api = useMemo(
    () =>
      createFilesApiClient({ baseUrl: s.apiBaseUrl, ...(s.apiKey ? { apiKey: s.apiKey } : {}) }),
    [s.apiBaseUrl, s.apiKey],
  );
  const queue = useUploadQueue({
    api,
    concurrency,
    checkpointBatchSize: s.checkpointBatchSize,
    checkpointIntervalMs: s.checkpointIntervalMs,
    // A sleeping laptop drops the connection: keep the screen on while an upload runs.
    keepAwake: true,
  });
  const { setConcurrency } = queue;
  useEffect(() => setConcurrency(concurrency), [concurrency, setConcurrency]);
  const [waiting, setWaiting] = useState<Picked[]>([]);
  const [rejected, setRejected] = useState<string[]>([]);

  const add = async (picked: readonly Picked[]) => {
    const options: AddFilesOptions = { handles: picked.map((p) => p.handle) };
    const r = await queue.add(
      picked.map((p) => p.file),
      options,
    );
    setRejected(r.rejected.map((x) => `${x.file.name}: ${x.error.message} ${x.error.advice}`));
  };
  const onFiles = (files: File[], handles?: ReadonlyArray<FileSystemFileHandle | undefined>) => {
    const picked = files.map((file, i) => ({ file, handle: handles?.[i] }));
    if (autoStart) void add(picked);
    else setWaiting((w) => [...w, ...picked]);
  };
  // For tests and the curious: add a file with its handle from the console, as a drop would
  // (e.g. a handle from the origin private file system, which needs no picker).
  const addRef = useRef(add);
  addRef.current = add;
  useEffect(() => {
    const w = window as DemoWindow;
    w.__ataiDemo = { add: (file, handle) => addRef.current([{ file, handle }]) };
    return () => {
      delete w.__ataiDemo;
    };
  }, []);
  const listed = new Set(queue.uploads);
  const shelf = queue.restored.filter((c) => listed.has(c));
  const onShelf = new Set(shelf);

  return (
    <div className="space-y-6">
      <RecoveryShelf uploads={shelf} onRemove={(id) => void queue.remove(id)} />
      {/* The picker offers the types the API takes: the same list the engine checks against.
          Where the browser has the File System Access API, it also keeps each file's handle,
          so an interrupted upload resumes after a reload with one click. */}
      <DropZone
        onFiles={onFiles}
        picker="file-system-access"
        multiple
        accept={ACCEPT}
        description="CSV, JSON, JSON Lines, Parquet, text, JPEG, PNG or MP4, up to 250 GiB per file. Resumes after interruptions."
      />
      <PickStatus
        waiting={waiting}
        rejected={rejected}
        autoStart={autoStart}
        onStart={() => {
          const files = waiting;
          setWaiting([]);
          void add(files);
        }}
        onDismiss={() => setRejected([])}
      />
      {queue.uploads.length > shelf.length && (
        <QueueSummary
          queue={queue.queue}
          onPauseAll={queue.pauseAll}
          onResumeAll={queue.resumeAll}
        />
      )}
      <ul className="space-y-4">
        {queue.uploads
          .filter((c) => !onShelf.has(c))
          .map((c) => (
            <li key={c.id}>
              <FileRow controller={c} onRemove={() => void queue.remove(c.id)} />
            </li>
          ))}
      </ul>
    </div>
  );
}
