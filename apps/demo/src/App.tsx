import { DropZone } from '@atai-upload/progress-panel';
import {
  createFilesApiClient,
  DOCUMENTED_FILE_TYPES,
  fileAcceptAttribute,
  useUploadQueue,
} from '@atai-upload/react';
import { useEffect, useMemo, useState } from 'react';
import { FileRow } from './FileRow';
import { PickStatus } from './PickStatus';
import { QueueSummary } from './QueueSummary';
import { SettingsDrawer } from './SettingsDrawer';
import { useSettings } from './settings';

/**
 * The demo: drop files, watch them upload. The queue is rebuilt (its uploads paused,
 * their resume records kept) when the connection or the checkpoint settings change,
 * because those are read when an upload starts.
 */
const ACCEPT = fileAcceptAttribute(DOCUMENTED_FILE_TYPES);

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
  });
  const { setConcurrency } = queue;
  useEffect(() => setConcurrency(concurrency), [concurrency, setConcurrency]);
  const [waiting, setWaiting] = useState<File[]>([]);
  const [rejected, setRejected] = useState<string[]>([]);

  const add = async (files: File[]) => {
    const r = await queue.add(files);
    setRejected(r.rejected.map((x) => `${x.file.name}: ${x.error.message} ${x.error.advice}`));
  };
  const onFiles = (files: File[]) => {
    if (autoStart) void add(files);
    else setWaiting((w) => [...w, ...files]);
  };

  return (
    <div className="space-y-6">
      {/* The picker offers the types the API takes: the same list the engine checks against. */}
      <DropZone
        onFiles={onFiles}
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
      {queue.uploads.length > 0 && (
        <QueueSummary
          queue={queue.queue}
          onPauseAll={queue.pauseAll}
          onResumeAll={queue.resumeAll}
        />
      )}
      <ul className="space-y-4">
        {queue.uploads.map((c) => (
          <li key={c.id}>
            <FileRow controller={c} onRemove={() => void queue.remove(c.id)} />
          </li>
        ))}
      </ul>
    </div>
  );
}
