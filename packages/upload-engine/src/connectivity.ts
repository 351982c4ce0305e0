import { onlineManager } from '@tanstack/query-core';

/**
 * Offline as TanStack Query's `onlineManager` sees it (the window's `online`/`offline`
 * events, or whatever the app set with `onlineManager.setEventListener`), or as the
 * browser says right now: `onlineManager` assumes online until an event says otherwise,
 * so a page opened offline would otherwise look online.
 */
export function isOffline(): boolean {
  return (
    !onlineManager.isOnline() || (typeof navigator !== 'undefined' && navigator.onLine === false)
  );
}

/** Calls `onChange` whenever `onlineManager` changes its mind; returns the unsubscribe. */
export function watchConnectivity(onChange: (online: boolean) => void): () => void {
  return onlineManager.subscribe(onChange);
}
