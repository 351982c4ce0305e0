import type { Readable } from 'node:stream';
import type { StoredFile, Upload, UploadMeta } from '../store.js';
import type { StorageKind } from '../types.js';

/**
 * Where an upload's bytes live. The API routes keep their own bookkeeping (uploads,
 * checkpoints, file records in the data dir) on every backend; a backend only issues part
 * URLs, says which parts it holds, assembles the object, and streams it back.
 */
export interface StorageBackend {
  readonly kind: StorageKind;
  /** Whether part URLs point at the emulator's own storage origin (which then must listen). */
  readonly ownOrigin: boolean;
  /** The origin part URLs point at, once known (the bucket's endpoint for `s3`). */
  readonly origin: string | undefined;
  /** Prepares the store: for `s3`, the bucket and its CORS rule. */
  open(): Promise<void>;
  /** Starts an upload in the store; returns the store's own upload id where it has one. */
  begin(meta: UploadMeta): Promise<string | undefined>;
  /**
   * A presigned URL for PUTting part `partNumber` (0-based), valid until `expires` (Unix s).
   * `dead`: the `staleFirstLinks` fault wants a link the store already considers expired.
   */
  partUrl(upload: Upload, partNumber: number, expires: number, dead: boolean): Promise<string>;
  /**
   * Brings `upload.parts` up to date for these parts (every part when omitted) before tokens
   * are checked. A no-op where the emulator received the parts itself.
   */
  syncParts(upload: Upload, partNumbers?: readonly number[]): Promise<void>;
  /**
   * Makes the object from the parts' tokens (part order) and, when asked, returns its
   * whole-file CRC-32C.
   */
  assemble(
    upload: Upload,
    tokens: readonly string[],
    wantCrc: boolean,
  ): Promise<number | undefined>;
  /** Drops the assembled object of an upload whose checksum did not match. */
  dropObject(upload: Upload): Promise<void>;
  /** Releases an in-progress upload's parts in the store. */
  abort(upload: Upload): Promise<void>;
  /** A finished file's bytes, or undefined when they were not kept (discard, deleted as corrupt). */
  read(file: StoredFile): Promise<Readable | undefined>;
  /** Deletes what these uploads and files left in the store (admin reset). */
  reset(uploads: readonly Upload[], files: readonly StoredFile[]): Promise<void>;
  close(): void;
}
