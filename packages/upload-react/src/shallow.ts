/**
 * zustand's `useShallow`, re-exported so apps need no direct zustand dependency.
 * Wrap a selector that returns a new object or array on every call:
 * `useMultipartUpload(options, useShallow((s) => ({ status: s.status, error: s.error })))`.
 * Without it, every store update would look like a change and re-render.
 */
export { useShallow } from 'zustand/react/shallow';
