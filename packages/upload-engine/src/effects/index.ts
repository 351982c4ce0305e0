import type { EffectName, EntryAction } from '../machine.js';
import { abort } from './abort.js';
import { complete } from './complete.js';
import type { Effect, EntryActionFn } from './deps.js';
import { initiate } from './initiate.js';
import { prepare } from './prepare.js';
import { pumpParts } from './pump-parts.js';
import { dropParts, stopParts } from './stop-parts.js';

export type { Effect, EffectDeps, EntryActionFn } from './deps.js';
export { forgetConflicting } from './prepare.js';

/** The state table names effects; these are the functions behind the names. */
export const EFFECTS: { readonly [N in EffectName]: Effect } = {
  prepare,
  initiate,
  pumpParts,
  complete,
  abort,
};

/** …and entry actions. */
export const ENTRY: { readonly [A in EntryAction]: EntryActionFn } = { stopParts, dropParts };
