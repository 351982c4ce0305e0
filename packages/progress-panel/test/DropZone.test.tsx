import { cleanup, createEvent, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DropZone } from '../src/DropZone.js';

afterEach(cleanup);

/** A drag event whose dataTransfer carries `files` (happy-dom has no DataTransfer constructor we can rely on). */
function dragEvent(
  target: Element,
  type: 'dragEnter' | 'dragOver' | 'dragLeave' | 'drop',
  files: File[],
) {
  const event = createEvent[type](target);
  Object.defineProperty(event, 'dataTransfer', {
    value: { files, types: ['Files'], dropEffect: 'none' },
  });
  return event;
}

describe('DropZone', () => {
  it('opens the picker from the keyboard (Enter and Space)', async () => {
    const user = userEvent.setup();
    render(<DropZone onFiles={vi.fn()} />);
    const input = screen.getByTestId('drop-zone-input') as HTMLInputElement;
    const click = vi.spyOn(input, 'click').mockImplementation(() => {});
    await user.tab();
    const button = screen.getByRole('button', { name: 'Choose a file' });
    expect(document.activeElement).toBe(button);
    await user.keyboard('{Enter}');
    await user.keyboard(' ');
    expect(click).toHaveBeenCalledTimes(2);
  });

  it('passes picked files to onFiles', async () => {
    const user = userEvent.setup();
    const onFiles = vi.fn();
    render(<DropZone onFiles={onFiles} multiple />);
    const files = [new File(['a'], 'a.csv'), new File(['b'], 'b.csv')];
    await user.upload(screen.getByTestId('drop-zone-input') as HTMLInputElement, files);
    expect(onFiles).toHaveBeenCalledWith(files);
    expect(screen.queryByRole('button', { name: 'Choose files' })).not.toBeNull();
  });

  it('passes dropped files to onFiles, one unless multiple', () => {
    const onFiles = vi.fn();
    render(<DropZone onFiles={onFiles} />);
    const zone = screen.getByTestId('drop-zone');
    const files = [new File(['a'], 'a.bin'), new File(['b'], 'b.bin')];
    fireEvent(zone, dragEvent(zone, 'drop', files));
    expect(onFiles).toHaveBeenCalledWith([files[0]]);
  });

  it('shows the drag-over state until the drag leaves or drops', () => {
    render(<DropZone onFiles={vi.fn()} multiple />);
    const zone = screen.getByTestId('drop-zone');
    const files = [new File(['a'], 'a.bin')];
    fireEvent(zone, dragEvent(zone, 'dragEnter', files));
    expect(zone.getAttribute('data-dragging')).toBe('true');
    expect(screen.queryByText('Drop to upload')).not.toBeNull();
    fireEvent(zone, dragEvent(zone, 'dragLeave', files));
    expect(zone.hasAttribute('data-dragging')).toBe(false);
    fireEvent(zone, dragEvent(zone, 'dragEnter', files));
    fireEvent(zone, dragEvent(zone, 'drop', files));
    expect(zone.hasAttribute('data-dragging')).toBe(false);
  });

  it('ignores drops and disables the picker when disabled', () => {
    const onFiles = vi.fn();
    render(<DropZone onFiles={onFiles} disabled />);
    const zone = screen.getByTestId('drop-zone');
    fireEvent(zone, dragEvent(zone, 'dragEnter', [new File(['a'], 'a.bin')]));
    expect(zone.hasAttribute('data-dragging')).toBe(false);
    fireEvent(zone, dragEvent(zone, 'drop', [new File(['a'], 'a.bin')]));
    expect(onFiles).not.toHaveBeenCalled();
    expect((screen.getByRole('button') as HTMLButtonElement).disabled).toBe(true);
  });

  it('never calls onFiles with an empty list', () => {
    const onFiles = vi.fn();
    render(<DropZone onFiles={onFiles} />);
    const zone = screen.getByTestId('drop-zone');
    fireEvent(zone, dragEvent(zone, 'drop', []));
    expect(onFiles).not.toHaveBeenCalled();
  });
});
