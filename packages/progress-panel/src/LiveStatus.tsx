import type { UploadSnapshot } from '@atai-upload/engine';
import type { ReactElement } from 'react';
import { ERROR_TITLES } from './error-titles.js';
import { statusLabel } from './status.js';

/**
 * What a screen reader hears for a snapshot. Built only from the status, the pause reason
 * and the error code, so progress ticks never change it and never cause an announcement.
 */
export function statusAnnouncement(snapshot: UploadSnapshot): string {
  const name = snapshot.file?.name ?? 'Upload';
  const label = statusLabel(snapshot);
  if (snapshot.status === 'failed') {
    const why = snapshot.error ? ERROR_TITLES[snapshot.error.code] : undefined;
    return `${name}: upload failed${why ? ` (${why})` : ''}.`;
  }
  if (snapshot.status === 'paused' && snapshot.pauseReason === 'offline') {
    return `${name}: paused, waiting for the network.`;
  }
  if (snapshot.status === 'paused' && snapshot.pauseReason === 'auth') {
    return `${name}: paused, sign in again to continue.`;
  }
  return `${name}: ${label.toLowerCase()}.`;
}

/** A visually hidden polite live region announcing state changes only. */
export function LiveStatus({ snapshot }: { snapshot: UploadSnapshot }): ReactElement {
  return (
    <div
      role="status"
      aria-live="polite"
      aria-atomic="true"
      data-testid="upload-live"
      className="au:sr-only"
    >
      {statusAnnouncement(snapshot)}
    </div>
  );
}
