import type { UploadError } from '@atai-upload/engine';
import { type ReactElement, useState } from 'react';
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

/** The error id with a copy button: what a user quotes to support. */
function SupportReference({ uid }: { uid: string }): ReactElement {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    // Clipboard access can be refused (no permission, an insecure page): the id stays
    // selectable on screen either way.
    navigator.clipboard?.writeText(uid).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <p className="au:flex au:flex-wrap au:items-center au:gap-x-2 au:gap-y-1 au:text-xs au:text-muted">
      <span>Quote this to support:</span>
      <code
        data-testid="error-uid"
        className="au:rounded au:bg-subtle au:px-1.5 au:py-0.5 au:font-code au:text-[11px] au:text-fg au:select-all"
      >
        {uid}
      </code>
      <Button
        variant="secondary"
        className="au:h-6 au:min-w-16 au:px-2 au:text-xs"
        aria-label={`Copy the support reference ${uid}`}
        onClick={copy}
      >
        {copied ? 'Copied' : 'Copy'}
      </Button>
    </p>
  );
}

/**
 * Why the upload failed and what to do: the engine's `advice` first (the actionable part),
 * then what the server said (each of its messages, its suggestion, and the error id to quote
 * to support, with a copy button), or the technical message when the server said nothing.
 */
export function ErrorNotice({ error, fileName, onStartOver }: ErrorNoticeProps): ReactElement {
  const details = [error.code, error.status === undefined ? undefined : `HTTP ${error.status}`]
    .filter(Boolean)
    .join(' · ');
  const said = error.serverErrors.filter((e) => e.message || e.code);
  const uids = [...new Set(error.serverErrors.map((e) => e.errorUid).filter(Boolean))] as string[];
  const suggestions = [
    ...new Set([error.suggestion, ...error.serverErrors.map((e) => e.suggestion)].filter(Boolean)),
  ] as string[];
  const chip = 'au:mr-1.5 au:rounded au:bg-subtle au:px-1.5 au:py-0.5 au:font-code au:text-[11px]';
  return (
    <Notice tone="danger" icon={<AlertIcon size={16} />}>
      <p className="au:font-semibold">{ERROR_TITLES[error.code] ?? 'Upload failed'}</p>
      <p data-testid="error-advice">{error.advice}</p>
      {said.length > 0 ? (
        <ul
          data-testid="server-errors"
          aria-label="What the server said"
          className="au:m-0 au:mt-0.5 au:flex au:list-none au:flex-col au:gap-0.5 au:p-0 au:text-xs au:text-muted"
        >
          {said.map((e, i) => (
            // The server's list has no ids; its order is its own and does not change.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <li key={i} data-testid="server-error" className="au:break-words">
              {e.message ?? e.code}
              {e.code && <span className={chip}>{e.code}</span>}
            </li>
          ))}
          <li className="au:text-[11px]">
            <span className={chip}>{details}</span>
          </li>
        </ul>
      ) : (
        <p
          data-testid="error-message"
          className="au:mt-0.5 au:break-words au:text-xs au:text-muted"
        >
          {error.message}
          <span className={chip}>{details}</span>
        </p>
      )}
      {suggestions.map((s) => (
        <p key={s} data-testid="error-suggestion" className="au:text-xs">
          <span className="au:font-medium">Suggestion: </span>
          {s}
        </p>
      ))}
      {uids.map((uid) => (
        <SupportReference key={uid} uid={uid} />
      ))}
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
