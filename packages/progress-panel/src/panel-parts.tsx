import type { UploadSnapshot, UploadStatus } from '@atai-upload/engine';
import type { ReactElement, ReactNode } from 'react';
import { cx } from './cx.js';
import { FileIcon } from './icons.js';
import { ProgressBar } from './ProgressBar.js';
import type { PanelFigures } from './panel-figures.js';
import { STATUS_META } from './status.js';
import type { Theme } from './theme.js';

/**
 * The root every upload panel shares (full and compact): the card, and the attributes tests
 * and styles rely on (`data-testid="upload-panel"`, `data-state`, `data-theme`).
 */
export function PanelCard({
  status,
  variant,
  theme,
  nameId,
  className,
  children,
}: {
  status: UploadStatus;
  variant?: 'compact';
  theme: Theme | undefined;
  nameId: string;
  /** Layout classes of this variant, then the app's. */
  className: string;
  children: ReactNode;
}): ReactElement {
  return (
    <article
      data-testid="upload-panel"
      data-state={status}
      data-variant={variant}
      data-theme={theme}
      aria-labelledby={nameId}
      className={cx(
        'au-root au:@container au:flex au:flex-col au:rounded-card au:border au:border-line au:bg-bg au:shadow-card',
        className,
      )}
    >
      {children}
    </article>
  );
}

/** The file-icon tile at the start of a panel's header. */
export function FileTile({ large = false }: { large?: boolean }): ReactElement {
  return (
    <div
      aria-hidden="true"
      className={cx(
        'au:flex au:shrink-0 au:items-center au:justify-center au:rounded-lg au:border au:border-line au:bg-subtle au:text-muted',
        large ? 'au:size-10' : 'au:size-9',
      )}
    >
      <FileIcon size={large ? 18 : 16} />
    </div>
  );
}

/** The upload's name: one line, cut with an ellipsis, the whole name in the tooltip. */
export function PanelName({
  id,
  name,
  className,
}: {
  id: string;
  name: string;
  className?: string;
}): ReactElement {
  return (
    <p
      id={id}
      className={cx('au:truncate au:text-sm au:font-semibold au:text-fg', className)}
      title={name}
    >
      {name}
    </p>
  );
}

/** The upload's progress bar, labelled and toned from its snapshot and figures. */
export function UploadProgress({
  snapshot,
  figures,
  name,
  small = false,
}: {
  snapshot: UploadSnapshot;
  figures: PanelFigures;
  name: string;
  small?: boolean;
}): ReactElement {
  return (
    <ProgressBar
      value={figures.fraction}
      confirmed={figures.confirmed}
      label={`Upload progress of ${name}`}
      valueText={figures.fraction === undefined ? 'Starting' : figures.valueText}
      tone={STATUS_META[snapshot.status].tone}
      animated={snapshot.status === 'uploading'}
      {...(small ? { size: 'sm' as const } : {})}
    />
  );
}
