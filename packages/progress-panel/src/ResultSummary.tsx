import type { UploadSnapshot } from '@atai-upload/engine';
import type { ReactElement } from 'react';
import { CheckIcon, ShieldCheckIcon } from './icons.js';
import { Notice } from './Notice.js';

/** Props of {@link ResultSummary}. */
export interface ResultSummaryProps {
  snapshot: UploadSnapshot;
  /** One line instead of a callout (for queues). */
  compact?: boolean;
}

/** What a completed upload produced: the stored file's id and status, and whether its checksum was verified. */
export function ResultSummary({
  snapshot,
  compact = false,
}: ResultSummaryProps): ReactElement | null {
  const result = snapshot.result;
  if (snapshot.status !== 'completed' || !result) return null;
  const verified = snapshot.checksum === 'verified';
  if (compact) {
    return (
      <p
        data-testid="upload-result"
        className="au:flex au:min-w-0 au:items-center au:gap-2 au:text-xs au:text-muted"
      >
        <span className="au:shrink-0 au:text-success">
          {verified ? <ShieldCheckIcon size={14} /> : <CheckIcon size={14} />}
        </span>
        <span className="au:truncate">
          Stored as <span className="au:font-code au:text-fg">{result.file_uid}</span> ·{' '}
          {result.file_status}
          {verified && ' · checksum verified'}
          {snapshot.checksum === 'unavailable' && ' · checksum not computed'}
        </span>
      </p>
    );
  }
  return (
    <Notice
      tone="success"
      icon={verified ? <ShieldCheckIcon size={16} /> : <CheckIcon size={16} />}
    >
      <p className="au:font-semibold">
        Upload complete
        {verified && <span className="au:font-normal au:text-muted"> · checksum verified</span>}
      </p>
      <dl
        data-testid="upload-result"
        className="au:grid au:grid-cols-[auto_1fr] au:gap-x-3 au:gap-y-0.5 au:text-xs"
      >
        <dt className="au:text-muted">File UID</dt>
        <dd className="au:min-w-0 au:truncate au:font-code" title={result.file_uid}>
          {result.file_uid}
        </dd>
        <dt className="au:text-muted">Status</dt>
        <dd>{result.file_status}</dd>
        {verified && (
          <>
            <dt className="au:text-muted">Integrity</dt>
            <dd>
              {snapshot.integrityAlgorithm === 'crc32c' ? 'CRC-32C' : 'Checksum'} verified by the
              server
            </dd>
          </>
        )}
        {snapshot.checksum === 'unavailable' && (
          <>
            <dt className="au:text-muted">Integrity</dt>
            <dd data-testid="checksum-unavailable">
              Not checked: this page could not compute the checksum
            </dd>
          </>
        )}
      </dl>
    </Notice>
  );
}
