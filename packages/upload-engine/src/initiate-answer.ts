import type { InitiateUploadResponse, PartToken } from '@atai-upload/api-client';
import { UploadError } from './errors.js';
import { PartState } from './part-state.js';
import { type PartTable, partLength } from './part-table.js';

/**
 * Rejects an initiate answer that does not describe this file: wrong size, a part count
 * that does not follow from the part size, or a part whose range is off. Better a clear
 * `invalid_response` now than bytes PUT to the wrong place.
 */
export function checkInitiateAnswer(res: InitiateUploadResponse, fileSize: number): void {
  const bad = (why: string) =>
    new UploadError('invalid_response', `The server's initiate answer is inconsistent: ${why}`);
  if (res.total_bytes !== fileSize)
    throw bad(`total_bytes ${res.total_bytes} ≠ file size ${fileSize}`);
  const numParts = Math.ceil(fileSize / res.part_size);
  if (res.num_parts !== numParts) throw bad(`num_parts ${res.num_parts} ≠ ${numParts}`);
  for (const p of res.parts) {
    const length = partLength(fileSize, res.part_size, p.part_number);
    if (
      p.part_number >= numParts ||
      p.offset !== p.part_number * res.part_size ||
      p.length !== length
    ) {
      throw bad(`part ${p.part_number} has range ${p.offset}+${p.length}`);
    }
  }
}

/** What an initiate answer means for the parts. */
export interface PartPlan {
  /** Bytes already on the server or held as tokens. */
  confirmedBytes: number;
  /** Bytes the server had checkpointed before this session. */
  resumedBytes: number;
  /** Parts uploaded earlier whose tokens we hold but the server has not checkpointed. */
  toCheckpoint: PartToken[];
}

/**
 * Sets every part's state from an initiate answer. On a resume, parts missing from the
 * answer are checkpointed on the server; listed parts whose token this browser still holds
 * (from this session, or from the resume record after a reload) are checkpointed instead
 * of uploaded again; the rest are pending. Stores the answer's URLs. O(parts).
 */
export function applyInitiateAnswer(
  table: PartTable,
  res: InitiateUploadResponse,
  storedTokens: Readonly<Record<string, string>>,
  now: number,
  urlMarginMs: number,
): PartPlan {
  const listed = new Uint8Array(table.numParts);
  for (const p of res.parts) {
    listed[p.part_number] = 1;
    table.setUrl(p, now, urlMarginMs);
  }
  const plan: PartPlan = { confirmedBytes: 0, resumedBytes: 0, toCheckpoint: [] };
  for (let n = 0; n < table.numParts; n++) {
    if (res.is_resume && !listed[n]) {
      table.set(n, PartState.checkpointed);
      table.tokens[n] = undefined;
      plan.confirmedBytes += table.length(n);
      plan.resumedBytes += table.length(n);
      continue;
    }
    const token = table.tokens[n] ?? storedTokens[n];
    if (res.is_resume && token !== undefined) {
      table.tokens[n] = token;
      table.set(n, PartState.uploaded);
      plan.toCheckpoint.push({ part_number: n, part_token: token });
      plan.confirmedBytes += table.length(n);
    } else {
      table.tokens[n] = undefined;
      table.set(n, PartState.pending);
    }
  }
  return plan;
}
