import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, waitFor } from 'storybook/test';
import { DropZone } from '../DropZone.js';
import { Narrow } from './helpers.js';

const meta = {
  title: 'Progress panel/DropZone',
  component: DropZone,
  args: { onFiles: fn(), multiple: false, disabled: false },
  render: (args) => (
    <Narrow>
      <DropZone {...args} />
    </Narrow>
  ),
} satisfies Meta<typeof DropZone>;

export default meta;
type Story = StoryObj<typeof meta>;

/**
 * Dispatches a native drag event carrying files, as the browser does for a drag from the
 * desktop (testing-library's fireEvent would replace the DataTransfer with an empty one).
 */
function drag(target: Element, type: 'dragenter' | 'dragover' | 'drop', files: File[]): void {
  const dataTransfer = new DataTransfer();
  for (const file of files) dataTransfer.items.add(file);
  target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer }));
}

export const Default: Story = {
  play: async ({ args, canvas, canvasElement, userEvent }) => {
    const input = canvasElement.querySelector<HTMLInputElement>('input[type="file"]');
    if (!input) throw new Error('no file input');
    // Stand in for the native picker: note that it was asked to open, but keep it closed.
    const opened = fn();
    const intercept = (event: Event) => {
      event.preventDefault();
      opened();
    };
    input.addEventListener('click', intercept);
    const button = canvas.getByRole('button', { name: 'Choose a file' });
    await userEvent.tab();
    await expect(button).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    await expect(opened).toHaveBeenCalledTimes(1);
    await userEvent.keyboard(' ');
    await expect(opened).toHaveBeenCalledTimes(2);
    input.removeEventListener('click', intercept);

    const file = new File(['hello'], 'hello.csv', { type: 'text/csv' });
    await userEvent.upload(input, file);
    await expect(args.onFiles).toHaveBeenCalledTimes(1);
    await expect(args.onFiles).toHaveBeenLastCalledWith([file]);
  },
};

export const Multiple: Story = {
  args: { multiple: true },
  play: async ({ args, canvas }) => {
    const zone = canvas.getByTestId('drop-zone');
    const files = [new File(['a'], 'a.bin'), new File(['b'], 'b.bin')];
    drag(zone, 'dragenter', files);
    await waitFor(() => expect(zone).toHaveAttribute('data-dragging', 'true'));
    await expect(canvas.getByText('Drop to upload')).toBeVisible();
    drag(zone, 'drop', files);
    // Delivered once the browser answered for file handles (Chromium asks each dropped item).
    await waitFor(() => expect(args.onFiles).toHaveBeenCalledTimes(1));
    // Compare by name: the browser hands back its own File objects.
    const names = (args.onFiles as ReturnType<typeof fn>).mock.calls[0]?.[0].map(
      (f: File) => f.name,
    );
    await expect(names).toEqual(['a.bin', 'b.bin']);
    await expect(zone).not.toHaveAttribute('data-dragging');
  },
};

export const DragOver: Story = {
  args: { multiple: true },
  play: async ({ canvas }) => {
    const zone = canvas.getByTestId('drop-zone');
    drag(zone, 'dragenter', [new File(['x'], 'x.bin')]);
    await waitFor(() => expect(zone).toHaveAttribute('data-dragging', 'true'));
  },
};

export const Disabled: Story = {
  args: { disabled: true, description: 'Uploads are paused by your administrator.' },
  play: async ({ args, canvas }) => {
    await expect(canvas.getByRole('button', { name: 'Choose a file' })).toBeDisabled();
    const zone = canvas.getByTestId('drop-zone');
    drag(zone, 'drop', [new File(['x'], 'x.txt')]);
    // A drop is delivered after the browser answers for file handles: give it that time.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(args.onFiles).not.toHaveBeenCalled();
  },
};

export const Dark: Story = { args: { multiple: true }, globals: { theme: 'dark' } };
