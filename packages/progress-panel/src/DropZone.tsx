import { type DragEvent, type ReactElement, type ReactNode, useId, useRef, useState } from 'react';
import { Button } from './Button.js';
import { cx } from './cx.js';
import { UploadCloudIcon } from './icons.js';
import type { BaseProps } from './theme.js';

/** Props of {@link DropZone}. */
export interface DropZoneProps extends BaseProps {
  /**
   * Called with the files dropped or picked (one file unless `multiple`). Never called with an
   * empty list. Where the browser gives file handles (File System Access API: drops in
   * Chromium, and the picker with `picker="file-system-access"`), `handles[i]` is `files[i]`'s;
   * pass it to `start(file, { handle })` so an interrupted upload can resume without a pick.
   */
  onFiles(files: File[], handles?: ReadonlyArray<FileSystemFileHandle | undefined>): void;
  /**
   * `'input'` (default): the classic file input. `'file-system-access'`: the browser's
   * `showOpenFilePicker()` where it exists (Chromium), which also gives file handles; other
   * browsers fall back to the input.
   */
  picker?: 'input' | 'file-system-access';
  /** Accept several files at once (default false). */
  multiple?: boolean;
  /** Ignore drops and disable the picker. */
  disabled?: boolean;
  /** Passed to the file input's `accept` (the picker's filter; drops are not filtered). */
  accept?: string;
  /** Main line; defaults to "Drag and drop a file to upload" (or "files" when `multiple`). */
  title?: ReactNode;
  /** Second line under the title. */
  description?: ReactNode;
  /** Text of the picker button; defaults to "Choose a file" / "Choose files". */
  buttonLabel?: string;
}

/** `showOpenFilePicker` and `getAsFileSystemHandle` (Chromium), missing from TypeScript's DOM types. */
interface FileSystemAccessWindow {
  showOpenFilePicker?(options: {
    multiple?: boolean;
    types?: { description: string; accept: Record<string, string[]> }[];
  }): Promise<FileSystemFileHandle[]>;
}
interface HandleItem {
  getAsFileSystemHandle?(): Promise<FileSystemHandle | null>;
}

/** The picker's filter from an `accept` attribute: MIME types as keys, extensions under one of them. */
function pickerTypes(accept: string | undefined) {
  if (!accept) return undefined;
  const tokens = accept
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const extensions = tokens.filter((t) => t.startsWith('.'));
  const mimes = tokens.filter((t) => t.includes('/') && !t.endsWith('/*'));
  const types: Record<string, string[]> = {};
  for (const m of mimes) types[m] = [];
  if (extensions.length) types[mimes[0] ?? 'application/octet-stream'] = extensions;
  return [{ description: 'Accepted files', accept: types }];
}

// Only react to drags that carry files (not text or links dragged around the page).
function carriesFiles(event: DragEvent): boolean {
  const types = event.dataTransfer?.types;
  return !types || Array.from(types).includes('Files');
}

/**
 * A drop target plus a keyboard-accessible file picker: a real `<input type="file">` opened
 * by a labelled button, so Enter and Space work and screen readers announce a button.
 */
export function DropZone({
  onFiles,
  multiple = false,
  disabled = false,
  accept,
  title,
  description = 'Up to 250 GB per file, straight to cloud storage. Resumes after interruptions.',
  buttonLabel,
  picker = 'input',
  className,
  theme,
}: DropZoneProps): ReactElement {
  const inputRef = useRef<HTMLInputElement>(null);
  // dragenter/dragleave fire for every child crossed; count them to know when the drag left.
  const depth = useRef(0);
  const [dragging, setDragging] = useState(false);
  const titleId = useId();
  const descriptionId = useId();

  const deliver = (
    list: FileList | readonly File[] | null | undefined,
    handles?: ReadonlyArray<FileSystemFileHandle | undefined>,
  ): void => {
    const files = Array.from(list ?? []);
    if (disabled || files.length === 0) return;
    const n = multiple ? files.length : 1;
    if (handles?.some(Boolean)) onFiles(files.slice(0, n), handles.slice(0, n));
    else onFiles(files.slice(0, n));
  };

  const openPicker = async (): Promise<void> => {
    const show = (window as FileSystemAccessWindow).showOpenFilePicker;
    if (picker !== 'file-system-access' || !show) {
      inputRef.current?.click();
      return;
    }
    try {
      const types = pickerTypes(accept);
      const handles = await show.call(window, { multiple, ...(types ? { types } : {}) });
      deliver(await Promise.all(handles.map((h) => h.getFile())), handles);
    } catch (e) {
      // Closing the picker is not an error; anything else falls back to the plain input.
      if (!(e instanceof DOMException && e.name === 'AbortError')) inputRef.current?.click();
    }
  };

  const onDragEnter = (event: DragEvent<HTMLDivElement>): void => {
    if (disabled || !carriesFiles(event)) return;
    event.preventDefault();
    depth.current += 1;
    setDragging(true);
  };
  const onDragOver = (event: DragEvent<HTMLDivElement>): void => {
    if (disabled || !carriesFiles(event)) return;
    // preventDefault is what makes the element a drop target.
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  };
  const onDragLeave = (): void => {
    depth.current = Math.max(0, depth.current - 1);
    if (depth.current === 0) setDragging(false);
  };
  const onDrop = (event: DragEvent<HTMLDivElement>): void => {
    event.preventDefault();
    depth.current = 0;
    setDragging(false);
    if (disabled) return;
    // Files and handles must be taken while the drop event runs: the data is gone after it.
    const files = Array.from(event.dataTransfer?.files ?? []);
    const items = Array.from(event.dataTransfer?.items ?? []).filter((i) => i.kind === 'file');
    const pending = items.map((i) =>
      (i as DataTransferItem & HandleItem).getAsFileSystemHandle?.(),
    );
    if (pending.length !== files.length || pending.every((p) => p === undefined)) {
      deliver(files);
      return;
    }
    void Promise.all(pending.map((p) => p?.catch(() => null))).then((handles) =>
      deliver(
        files,
        handles.map((h) => (h?.kind === 'file' ? (h as FileSystemFileHandle) : undefined)),
      ),
    );
  };

  return (
    <section
      aria-labelledby={titleId}
      data-theme={theme}
      data-testid="drop-zone"
      data-dragging={dragging || undefined}
      data-disabled={disabled || undefined}
      onDragEnter={onDragEnter}
      onDragOver={onDragOver}
      onDragLeave={onDragLeave}
      onDrop={onDrop}
      className={cx(
        'au-root au:@container au:relative au:flex au:flex-col au:items-center au:justify-center au:gap-4 au:rounded-card au:border-[1.5px] au:border-dashed au:border-line-strong au:bg-bg au:hover:border-accent/60 au:px-6 au:py-10 au:text-center',
        'au:motion-safe:transition-[border-color,background-color,box-shadow] au:motion-safe:duration-150',
        'au:data-dragging:border-solid au:data-dragging:border-accent au:data-dragging:bg-accent/5 au:data-dragging:ring-4 au:data-dragging:ring-accent/15',
        // Disabled dims only the icon: text keeps its contrast.
        'au:data-disabled:bg-subtle',
        className,
      )}
    >
      <div
        aria-hidden="true"
        className={cx(
          'au:flex au:size-12 au:items-center au:justify-center au:rounded-xl au:border au:border-line au:bg-subtle au:text-muted au:shadow-xs',
          'au:motion-safe:transition-transform au:motion-safe:duration-150',
          dragging &&
            'au:border-accent/40 au:bg-accent/10 au:text-accent au:motion-safe:-translate-y-0.5',
        )}
      >
        <UploadCloudIcon size={22} />
      </div>
      <div className="au:flex au:max-w-lg au:flex-col au:gap-1">
        <p id={titleId} className="au:text-sm au:font-semibold au:text-fg">
          {dragging
            ? 'Drop to upload'
            : (title ?? `Drag and drop ${multiple ? 'files' : 'a file'} to upload`)}
        </p>
        {description && (
          <p id={descriptionId} className="au:text-[13px] au:text-muted">
            {description}
          </p>
        )}
      </div>
      <Button
        variant="secondary"
        disabled={disabled}
        aria-describedby={description ? descriptionId : undefined}
        onClick={() => void openPicker()}
      >
        {buttonLabel ?? (multiple ? 'Choose files' : 'Choose a file')}
      </Button>
      {/* The real picker: hidden, reached only through the button above. */}
      <input
        ref={inputRef}
        type="file"
        hidden
        tabIndex={-1}
        multiple={multiple}
        accept={accept}
        disabled={disabled}
        data-testid="drop-zone-input"
        onChange={(event) => {
          deliver(event.currentTarget.files);
          // Reset so choosing the same file again still fires `change`.
          event.currentTarget.value = '';
        }}
      />
    </section>
  );
}
