import {
  type InterruptedUpload,
  type ListInterruptedOptions,
  listInterrupted,
} from '@atai-upload/engine';
import { useCallback, useEffect, useState } from 'react';

/** What {@link useInterruptedUploads} returns. */
export interface UseInterruptedUploadsResult {
  /** Every unfinished upload this browser knows, newest first; empty until loaded. */
  uploads: readonly InterruptedUpload[];
  /** False until the records were read once. */
  loaded: boolean;
  /** Reads the records again (e.g. after a discard, or when another tab may have changed them). */
  refresh(): Promise<void>;
}

/**
 * The recovery shelf as data, for apps that draw their own: every upload this browser
 * started and did not finish or cancel, read on mount without any pick or request. To
 * resume one, `controller.recover(upload.record)` on an idle controller (or let
 * `useUploadQueue` list them, which it does by default).
 *
 * @param options - Where records live and which locks to ask (defaults: the page's).
 */
export function useInterruptedUploads(
  options: ListInterruptedOptions = {},
): UseInterruptedUploadsResult {
  const [state, setState] = useState<{ uploads: readonly InterruptedUpload[]; loaded: boolean }>({
    uploads: [],
    loaded: false,
  });
  const { resumeStore, locks } = options;
  const refresh = useCallback(async () => {
    const uploads = await listInterrupted({
      ...(resumeStore ? { resumeStore } : {}),
      ...(locks !== undefined ? { locks } : {}),
    });
    setState({ uploads, loaded: true });
  }, [resumeStore, locks]);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return { ...state, refresh };
}
