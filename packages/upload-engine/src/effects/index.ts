import type { EffectName, EntryAction } from '../machine.js';
import { abort } from './abort.js';
import { complete } from './complete.js';
import type { Effect, EntryActionFn } from './deps.js';
import { followTab } from './follow-tab.js';
import { initiate } from './initiate.js';
import { prepare } from './prepare.js';
import { pumpParts } from './pump-parts.js';
import { reopen } from './reopen.js';
import { dropParts, releaseFile, stopParts } from './stop-parts.js';

export type { Effect, EffectDeps, EntryActionFn } from './deps.js';
export { forgetConflicting } from './prepare.js';

/** The state table names effects; these are the functions behind the names. */
export const EFFECTS: { readonly [N in EffectName]: Effect } = {
  reopen,
  followTab,
  prepare,
  initiate,
  pumpParts,
  complete,
  abort,
};

/** …and entry actions. */
export const ENTRY: { readonly [A in EntryAction]: EntryActionFn } = {
  stopParts,
  dropParts,
  releaseFile,
};
