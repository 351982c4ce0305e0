import type { UploadController } from '@atai-upload/react';
import { FileRow } from './FileRow';

/**
 * The recovery shelf: uploads this browser started and did not finish or cancel, listed on
 * load before any pick (the queue restores them from IndexedDB). Each stays here while it
 * resumes, so nothing moves under the pointer when one is resumed.
 */
export function RecoveryShelf({
  uploads,
  onRemove,
}: {
  uploads: readonly UploadController[];
  onRemove: (id: string) => void;
}) {
  if (uploads.length === 0) return null;
  return (
    <section aria-labelledby="shelf-title" data-testid="recovery-shelf" className="space-y-3">
      <div>
        <h2 id="shelf-title" className="text-sm font-semibold">
          Interrupted uploads
        </h2>
        <p className="text-sm text-[var(--demo-muted)]">
          Left unfinished when this page closed. Resume, pick or drop the same file again to send
          only what is missing, or discard to free the space on the server.
        </p>
      </div>
      <ul className="space-y-4">
        {uploads.map((c) => (
          <li key={c.id}>
            <FileRow controller={c} onRemove={() => onRemove(c.id)} />
          </li>
        ))}
      </ul>
    </section>
  );
}
