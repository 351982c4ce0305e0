import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect } from 'storybook/test';
import { queueFixture } from '../fixtures.js';
import { UploadList, type UploadListItem } from '../UploadList.js';
import { Narrow, spyActions } from './helpers.js';

const items = (): UploadListItem[] => queueFixture.map((f) => ({ ...f, actions: spyActions() }));

const meta = {
  title: 'Progress panel/UploadList',
  component: UploadList,
  args: { items: [] },
  render: (args) => (
    <Narrow>
      <UploadList {...args} items={args.items.length ? args.items : items()} />
    </Narrow>
  ),
} satisfies Meta<typeof UploadList>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Queue: Story = {
  play: async ({ canvas, userEvent }) => {
    await expect(canvas.getAllByTestId('upload-panel')).toHaveLength(5);
    await expect(canvas.getByTestId('upload-list-files')).toHaveTextContent('5 files');
    // Each panel's buttons name their own file.
    const retry = canvas.getByRole('button', { name: 'Retry telemetry-2024-09.csv' });
    await expect(retry).toBeEnabled();
    await userEvent.click(retry);
  },
};

export const QueueDark: Story = { globals: { theme: 'dark' } };

export const QueueWithPartMaps: Story = {
  render: () => (
    <Narrow>
      <UploadList items={items().slice(0, 2)} showPartMaps title="Large files" />
    </Narrow>
  ),
};

export const Empty: Story = {
  render: () => (
    <Narrow>
      <UploadList items={[]} />
    </Narrow>
  ),
};
