import {
  toUploadError,
  type UploadActions,
  type UploadError,
  type UploadSnapshot,
} from '@atai-upload/engine';
import { type ReactElement, useRef, useState } from 'react';
import { Button } from './Button.js';
import { FileIcon } from './icons.js';

/** Props of {@link RecoveryPicker}. */
export interface RecoveryPickerProps {
  snapshot: Pick<UploadSnapshot, 'status' | 'file'>;
  actions: Partial<Pick<UploadActions, 'start'>>;
  fileName: string;
}

/**
 * For an `interrupted` upload: a button that picks the file again and continues the upload
 * with it. A different file is refused by the engine (`file_mismatch`) before any request;
 * the refusal is shown here and the interrupted upload stays as it was.
 */
export function RecoveryPicker({
  snapshot,
  actions,
  fileName,
}: RecoveryPickerProps): ReactElement | null {
  const input = useRef<HTMLInputElement>(null);
  const [refusal, setRefusal] = useState<UploadError>();
  if (snapshot.status !== 'interrupted' || !actions.start) return null;
  const pick = async (file: File | undefined) => {
    if (!file) return;
    try {
      await actions.start?.(file);
      setRefusal(undefined);
    } catch (e) {
      setRefusal(toUploadError(e));
    }
  };
  return (
    <div data-testid="recovery-picker" className="au:flex au:flex-col au:gap-2">
      <div className="au:flex au:flex-wrap au:items-center au:gap-2">
        <input
          ref={input}
          type="file"
          className="au:sr-only"
          tabIndex={-1}
          aria-hidden="true"
          data-testid="recovery-file-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = ''; // the same file may be picked again after a refusal
            void pick(file);
          }}
        />
        <Button
          variant="secondary"
          icon={<FileIcon size={14} />}
          aria-label={`Choose file… again to continue ${fileName}`}
          onClick={() => input.current?.click()}
        >
          Choose file…
        </Button>
      </div>
      {refusal && (
        <p role="alert" data-testid="recovery-refusal" className="au:text-xs au:text-danger">
          {refusal.message} {refusal.advice}
        </p>
      )}
    </div>
  );
}
