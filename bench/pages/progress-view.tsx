/**
 * A React progress bar for the pages that do not use our hook (Uppy), so every page
 * under comparison is a React app that shows progress; the JS heap then compares the
 * upload libraries, not "React vs no React".
 */
import { useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';

let fraction = 0;
const listeners = new Set<() => void>();
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

function ProgressView() {
  const f = useSyncExternalStore(subscribe, () => fraction);
  return (
    <div>
      <progress max={1} value={f} style={{ width: 400 }} /> {(f * 100).toFixed(1)}%
    </div>
  );
}

/** Renders the bar; returns the setter to call on progress events. */
export function mountProgress(): (fraction: number) => void {
  createRoot(document.getElementById('root')!).render(<ProgressView />);
  return (f) => {
    fraction = f;
    for (const l of listeners) l();
  };
}
