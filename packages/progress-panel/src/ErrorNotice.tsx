import type { UploadError } from '@atai-upload/engine';
import type { ReactElement } from 'react';
import { Button } from './Button.js';
import { ERROR_TITLES } from './error-titles.js';
import { AlertIcon, RetryIcon } from './icons.js';
import { Notice } from './Notice.js';

/** Props of {@link ErrorNotice}. */
export interface ErrorNoticeProps {
  error: UploadError;
  fileName: string;
  /** Offered as a "Start over" button when the error is an `upload_conflict`. */
  onStartOver?: () => void;
}

/**
 * Why the upload failed and what to do: the engine's `advice` first (the actionable part),
 * then its technical `message`, code and HTTP status for support tickets.
 */
export function ErrorNotice({ error, fileName, onStartOver }: ErrorNoticeProps): ReactElement {
  const details = [error.code, error.status === undefined ? undefined : `HTTP ${error.status}`]
    .filter(Boolean)
    .join(' · ');
  return (
    <Notice tone="danger" icon={<AlertIcon size={16} />}>
      <p className="au:font-semibold">{ERROR_TITLES[error.code] ?? 'Upload failed'}</p>
      <p data-testid="error-advice">{error.advice}</p>
      <p data-testid="error-message" className="au:mt-0.5 au:break-words au:text-xs au:text-muted">
        {error.message}
        <span className="au:ml-1.5 au:rounded au:bg-subtle au:px-1.5 au:py-0.5 au:font-code au:text-[11px]">
          {details}
        </span>
      </p>
      <p className="au:text-xs au:text-muted">
        {error.resumable
          ? 'Parts already uploaded are kept: retrying continues where it stopped.'
          : 'Retrying starts a new upload from the beginning.'}
      </p>
      {error.code === 'upload_conflict' && onStartOver && (
        <div className="au:mt-1.5">
          <Button
            variant="primary"
            icon={<RetryIcon size={14} />}
            aria-label={`Start over ${fileName}`}
            onClick={onStartOver}
          >
            Start over
          </Button>
        </div>
      )}
    </Notice>
  );
}
