// The README's quick start, compiled by `tsc -p packages/upload-react/tsconfig.json`.
import {
  createFilesApiClient,
  UPLOAD_ERROR_ADVICE,
  useMultipartUpload,
  useShallow,
} from '@atai-upload/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';

// A same-origin proxy that adds the API key server-side keeps the key out of the browser.
const api = createFilesApiClient({ baseUrl: '/api/v0.5' });
const queryClient = new QueryClient();

function Uploader() {
  // Select only what this component shows; useShallow because the selector builds an object.
  const { state, start, pause, resume, cancel, retry } = useMultipartUpload(
    { api, onSuccess: (s) => console.log('uploaded', s.result?.file_uid) },
    useShallow((s) => ({
      status: s.status,
      fraction: s.progress.fraction,
      error: s.error,
    })),
  );

  return (
    <div>
      <input
        type="file"
        onChange={(e) => {
          // Input errors (empty file, > 250 GB, already running) reject before any request.
          start(e.currentTarget.files?.[0]).catch((err: unknown) => console.error(err));
        }}
      />
      <progress value={state.fraction} max={1} />
      <span>
        {state.status} {Math.round(state.fraction * 100)}%
      </span>
      {state.status === 'uploading' && (
        <button type="button" onClick={pause}>
          Pause
        </button>
      )}
      {state.status === 'paused' && (
        <button type="button" onClick={resume}>
          Resume
        </button>
      )}
      {state.status === 'failed' && (
        <button type="button" onClick={retry}>
          Retry
        </button>
      )}
      <button type="button" onClick={() => void cancel()}>
        Cancel
      </button>
      {state.error && <p role="alert">{UPLOAD_ERROR_ADVICE[state.error.code]}</p>}
    </div>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Uploader />
    </QueryClientProvider>
  );
}
