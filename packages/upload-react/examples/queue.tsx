// The README's queue example, compiled by `tsc -p packages/upload-react/tsconfig.json`.
import {
  type FilesApiClient,
  type UploadController,
  useShallow,
  useUploadQueue,
  useUploadSelector,
} from '@atai-upload/react';

/** One row: subscribes to its own upload, so other rows do not re-render on its progress. */
function Row({ upload, onRemove }: { upload: UploadController; onRemove: (id: string) => void }) {
  const { name, status, fraction } = useUploadSelector(
    upload,
    useShallow((s) => ({ name: s.file?.name, status: s.status, fraction: s.progress.fraction })),
  );
  return (
    <li>
      {name}: {status} <progress value={fraction} max={1} />
      <button type="button" onClick={() => void onRemove(upload.id)}>
        Remove
      </button>
    </li>
  );
}

export function UploadQueuePanel({ api }: { api: FilesApiClient }) {
  // Three part PUTs in flight across all files together.
  const { uploads, totals, add, pauseAll, resumeAll, remove } = useUploadQueue({
    api,
    concurrency: 3,
  });
  return (
    <section>
      <input
        type="file"
        multiple
        onChange={async (e) => {
          const { rejected } = await add(e.currentTarget.files ?? []);
          for (const { file, error } of rejected) console.warn(file.name, error.advice);
        }}
      />
      <p>
        {totals.completed}/{totals.files} done, {Math.round(totals.fraction * 100)}%,{' '}
        {(totals.speedBps / 1e6).toFixed(1)} MB/s
      </p>
      <button type="button" onClick={pauseAll}>
        Pause all
      </button>
      <button type="button" onClick={resumeAll}>
        Resume all
      </button>
      <ul>
        {uploads.map((u) => (
          <Row key={u.id} upload={u} onRemove={remove} />
        ))}
      </ul>
    </section>
  );
}
