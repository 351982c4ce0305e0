import type { UploadActions } from '@atai-upload/engine';
import type { ReactElement, ReactNode } from 'react';
import { fn } from 'storybook/test';

/** Fresh spies for every story, so calls never leak between stories. */
export function spyActions(): Pick<
  UploadActions,
  'start' | 'pause' | 'resume' | 'cancel' | 'retry' | 'startOver'
> {
  return {
    start: fn(async () => {}),
    pause: fn(),
    resume: fn(),
    cancel: fn(),
    retry: fn(),
    startOver: fn(),
  };
}

/** Centres a story at a realistic product width. */
export function Narrow({
  children,
  wide = false,
}: {
  children: ReactNode;
  wide?: boolean;
}): ReactElement {
  return (
    <div className="sb-narrow" style={wide ? { maxWidth: 880 } : undefined}>
      {children}
    </div>
  );
}
