/** Per-part state codes, stored one byte per part in a `Uint8Array`. */
export const PartState = {
  pending: 0,
  uploading: 1,
  uploaded: 2,
  checkpointed: 3,
  failed: 4,
} as const;
export type PartStateName = keyof typeof PartState;
export type PartStateCode = (typeof PartState)[PartStateName];
/** Names by code: `PART_STATE_NAMES[code]`. */
export const PART_STATE_NAMES: readonly PartStateName[] = [
  'pending',
  'uploading',
  'uploaded',
  'checkpointed',
  'failed',
];
