import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fireEvent, fn } from 'storybook/test';
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
    await fireEvent.dragEnter(zone, { dataTransfer: { files, types: ['Files'] } });
    await expect(zone).toHaveAttribute('data-dragging', 'true');
    await expect(canvas.getByText('Drop to upload')).toBeVisible();
    await fireEvent.drop(zone, { dataTransfer: { files, types: ['Files'] } });
    await expect(args.onFiles).toHaveBeenCalledWith(files);
    await expect(zone).not.toHaveAttribute('data-dragging');
  },
};

export const DragOver: Story = {
  args: { multiple: true },
  play: async ({ canvas }) => {
    const zone = canvas.getByTestId('drop-zone');
    await fireEvent.dragEnter(zone, { dataTransfer: { files: [], types: ['Files'] } });
    await expect(zone).toHaveAttribute('data-dragging', 'true');
  },
};

export const Disabled: Story = {
  args: { disabled: true, description: 'Uploads are paused by your administrator.' },
  play: async ({ args, canvas }) => {
    await expect(canvas.getByRole('button', { name: 'Choose a file' })).toBeDisabled();
    const zone = canvas.getByTestId('drop-zone');
    await fireEvent.drop(zone, { dataTransfer: { files: [new File(['x'], 'x.txt')], types: ['Files'] } });
    await expect(args.onFiles).not.toHaveBeenCalled();
  },
};

export const Dark: Story = { args: { multiple: true }, globals: { theme: 'dark' } };
