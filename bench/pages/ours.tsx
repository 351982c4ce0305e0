/**
 * Our hook in a React page, as an app would use it: `useMultipartUpload` inside a
 * `QueryClientProvider`, a progress bar that re-renders on every published tick.
 * The CRC-32C worker is the engine's own (bundled apart, see src/lib/pages.ts).
 */
import { createInlinePartHasher, createWorkerPartHasher } from '@atai-upload/engine';
import {
  createFilesApiClient,
  type UploadSnapshot,
  useMultipartUpload,
  useShallow,
} from '@atai-upload/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { expose, type UploadConfig, type UploadResult } from './common.js';

const pick = (s: UploadSnapshot) => ({
  status: s.status,
  fraction: s.progress.fraction,
  speed: s.progress.speedBps,
  checksum: s.checksum,
});

function Uploader({
  cfg,
  file,
  onDone,
}: {
  cfg: UploadConfig;
  file: File;
  onDone: (r: UploadResult) => void;
}) {
  const [options] = useState(() => ({
    api: createFilesApiClient({ baseUrl: cfg.apiUrl, apiKey: cfg.apiKey }),
    concurrency: cfg.autoConcurrency ? ('auto' as const) : cfg.concurrency,
    integrity: cfg.integrity,
    partHasher: cfg.inlineHasher
      ? createInlinePartHasher()
      : createWorkerPartHasher(
          () => new Worker('/crc32c.worker.js', { type: 'module', name: 'atai-upload-crc32c' }),
        ),
  }));
  const { state, start, controller } = useMultipartUpload(options, useShallow(pick));
  useEffect(() => {
    const t0 = performance.now();
    void controller.settled().then((s) =>
      onDone({
        ok: s.status === 'completed',
        ms: performance.now() - t0,
        bytes: file.size,
        uploadId: s.uploadId,
        fileName: s.result?.file_name,
        error: s.error?.message,
        info: { checksum: s.checksum },
      }),
    );
    start(file, { name: cfg.name }).catch((e: unknown) =>
      onDone({ ok: false, ms: 0, bytes: file.size, error: String(e) }),
    );
  }, [cfg, file, start, controller, onDone]);
  return (
    <div>
      <progress max={1} value={state.fraction} style={{ width: 400 }} />
      <span>
        {' '}
        {state.status} {(state.fraction * 100).toFixed(1)}% {(state.speed / 1e6).toFixed(0)} MB/s
        CRC {state.checksum}
      </span>
    </div>
  );
}

const root = createRoot(document.getElementById('root')!);
expose(
  (cfg, file) =>
    new Promise<UploadResult>((resolve) => {
      root.render(
        <QueryClientProvider client={new QueryClient()}>
          <Uploader cfg={cfg} file={file} onDone={resolve} />
        </QueryClientProvider>,
      );
    }),
);
