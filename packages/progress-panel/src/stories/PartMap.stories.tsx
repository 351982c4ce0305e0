import { PartState } from '@atai-upload/engine';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect } from 'storybook/test';
import { makePartStates, partMap30k } from '../fixtures.js';
import { PartMap } from '../PartMap.js';
import { Narrow } from './helpers.js';

const meta = {
  title: 'Progress panel/PartMap',
  component: PartMap,
  args: { partStates: new Uint8Array(0), version: 1 },
  parameters: { controls: { exclude: ['partStates'] } },
} satisfies Meta<typeof PartMap>;

export default meta;
type Story = StoryObj<typeof meta>;

const card = 'au-root au:rounded-card au:border au:border-line au:bg-bg au:p-5 au:shadow-card';

export const ThirtyThousandParts: Story = {
  render: (args) => (
    <Narrow>
      <div className={card}>
        <PartMap {...args} partStates={partMap30k} />
      </div>
    </Narrow>
  ),
  play: async ({ canvas }) => {
    const map = canvas.getByRole('img');
    await expect(map).toHaveAttribute(
      'aria-label',
      'Part map: 15,200 of 30,000 parts done, 12 uploading, 3 failed',
    );
    // One canvas, not 30,000 nodes.
    await expect(map.tagName).toBe('CANVAS');
    await expect((map as HTMLCanvasElement).width).toBeGreaterThan(0);
  },
};

export const ThirtyThousandPartsDark: Story = {
  ...ThirtyThousandParts,
  globals: { theme: 'dark' },
};

const dense = makePartStates(
  200_000,
  { checkpointed: 120_000, uploaded: 9_000, uploading: 16, failed: 2 },
  13,
);
export const TwoHundredThousandParts: Story = {
  name: '200,000 parts (bucketed)',
  render: (args) => (
    <Narrow>
      <div className={card}>
        <PartMap {...args} partStates={dense} />
      </div>
    </Narrow>
  ),
};

const small = makePartStates(96, { checkpointed: 40, uploaded: 12, uploading: 4, failed: 1 }, 2);
export const NinetySixParts: Story = {
  render: (args) => (
    <Narrow>
      <div className={card}>
        <PartMap {...args} partStates={small} />
      </div>
    </Narrow>
  ),
};

const done = new Uint8Array(4_000).fill(PartState.checkpointed);
export const AllCheckpointed: Story = {
  render: (args) => (
    <Narrow>
      <div className={card}>
        <PartMap {...args} partStates={done} />
      </div>
    </Narrow>
  ),
};

export const NoPartsYet: Story = {
  render: (args) => (
    <Narrow>
      <div className={card}>
        <PartMap {...args} partStates={new Uint8Array(0)} />
      </div>
    </Narrow>
  ),
};
