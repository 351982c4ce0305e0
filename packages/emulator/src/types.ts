/** Public types of the emulator, shared by every module. */

/** Recursively optional: the shape of a patch to a nested config object. */
export type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K];
};

/** Whole-file checksum algorithm announced by initiate. */
export type IntegrityAlgorithm = 'crc32c' | 'none';

/** Fault injection and shaping knobs; every random decision comes from one seeded PRNG. */
export interface FaultConfig {
  /** PRNG seed for reproducible injection (random when not given). */
  seed?: number;
  /** Probabilities (0..1) applied to each storage PUT that passed its signature check. */
  partPut: { error5xxRate: number; error429Rate: number; dropRate: number; corruptRate: number };
  /** Probabilities (0..1) applied to each API route call, before the operation runs. */
  api: { error5xxRate: number; error429Rate: number };
  /** `Retry-After` value (seconds) on injected 429s. */
  retryAfterSeconds: number;
  /** Delay added before handling every request on both origins. */
  latencyMs: number;
  /** Per-connection cap on storage PUT bodies; 0 = unlimited. */
  bandwidthBytesPerSec: number;
  /** Lifetime of presigned URLs issued from now on. */
  urlTtlSeconds: number;
  /** When false, storage omits `ETag` from `Access-Control-Expose-Headers`. */
  exposeEtag: boolean;
  /**
   * When true, storage answers an expired or badly signed URL as Ceph RGW 16 does: a 403
   * without any CORS header (for an expired URL, the preflight too), so a browser sees
   * only a network error. Off by default.
   */
  opaqueStorageErrors: boolean;
  /**
   * When true, storage refuses the first link presented for each part as expired (403
   * `AccessDenied` "Request has expired", opaque too with `opaqueStorageErrors`), and keeps
   * refusing that link, while its own clock would call it fresh: a store that stopped
   * honouring links (rotated keys, a skewed clock). A refreshed link for the part works.
   * Makes the client's dead-link recovery testable without racing the clock. Off by default.
   */
  staleFirstLinks: boolean;
}

/**
 * Where part bytes go (see the README's "Storage backends"):
 * - `local`: the emulator's own storage origin writes them under the data dir (the default);
 * - `discard`: the same origin reads each part to the end, computes its ETag and CRC-32C, and
 *   keeps nothing (uploads of any size on a small disk; downloads answer 410);
 * - `s3`: an S3-compatible bucket; part URLs are the bucket's presigned UploadPart URLs.
 */
export type StorageOptions = { kind: 'local' } | { kind: 'discard' } | S3StorageOptions;

/** Which storage backend an emulator runs on. */
export type StorageKind = StorageOptions['kind'];

/** An S3-compatible bucket as the emulator's storage (AWS S3, Ceph RGW, MinIO, ...). */
export interface S3StorageOptions {
  kind: 's3';
  /** e.g. `http://127.0.0.1:7480`; omitted: AWS's endpoint for `region`. */
  endpoint?: string;
  /** Created when missing; its CORS rule is set at start. */
  bucket: string;
  /** Default `us-east-1`. */
  region?: string;
  /** Omitted: the AWS SDK's default credential chain (environment, profile, instance role). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Path-style URLs (`endpoint/bucket/key`), as most self-hosted stores want. Default false. */
  forcePathStyle?: boolean;
  /** Prefix of every object key, default `atai-emulator/`. */
  keyPrefix?: string;
  /** Origins the bucket's CORS rule allows, default `['*']`. */
  corsOrigins?: readonly string[];
}

/** Options of {@link startEmulator}; every field is optional. */
export interface EmulatorOptions {
  /** API origin port, default 4600; 0 picks a free port. */
  apiPort?: number;
  /** Storage origin port, default 4601; 0 picks a free port. */
  storagePort?: number;
  /** Where uploads, parts and files persist; default `<cwd>/.emulator-data`. */
  dataDir?: string;
  /** Server-chosen part size in bytes, default 8 MiB. */
  partSize?: number;
  /** Presigned URL lifetime in seconds, default 3600. */
  urlTtlSeconds?: number;
  /** `integrity_algorithm` announced by initiate, default `crc32c`. */
  integrity?: IntegrityAlgorithm;
  /** MIME types initiate accepts, default {@link SUPPORTED_FILE_TYPES} (the documented ones). */
  fileTypes?: readonly string[];
  /** Seeds `faults.opaqueStorageErrors` (default false); an explicit fault value wins. */
  opaqueStorageErrors?: boolean;
  /** The only accepted bearer token, default `local-dev-key`. */
  apiKey?: string;
  /** Initial fault configuration, merged over {@link DEFAULT_FAULTS}. */
  faults?: DeepPartial<FaultConfig>;
  /** Receives one line per handled request. */
  log?: (line: string) => void;
  /**
   * Where part bytes go. Default: what `ATAI_EMULATOR_STORAGE` and the `ATAI_S3_*` variables
   * say ({@link storageFromEnv}), else `local`.
   */
  storage?: StorageOptions;
}

/** Counters of everything the emulator saw, for assertions and the demo. */
export interface Accounting {
  initiates: number;
  refreshes: number;
  checkpoints: number;
  checkpointedParts: number;
  completes: number;
  aborts: number;
  putRequests: number;
  putSuccesses: number;
  /** Every PUT body byte that arrived, including failed and dropped attempts. */
  bytesReceived: number;
  /** Bytes of successful PUTs. */
  bytesStored: number;
  /** Bytes of successful PUTs to a part that already had a successful PUT. */
  resentBytes: number;
  /** Bytes of PUT attempts that did not succeed. */
  wastedBytes: number;
  /** Storage-origin requests that carried an `Authorization` header. */
  storageAuthorizationHeaders: number;
  /** The first 10 such header values. */
  storageAuthorizationSamples: string[];
  /** Storage requests that carried a `Cookie` header (a client must never send cookies there). */
  storageCookieHeaders: number;
  /** Distinct `Referer` values storage saw (the first 10): never an app page's full URL. */
  storageReferers: string[];
  /**
   * Storage CORS preflights refused: a method other than PUT, a request header other
   * than Content-Type (e.g. `Authorization`), or (opaque mode) an expired URL.
   */
  storagePreflightsRefused: number;
  faultsInjected: {
    put5xx: number;
    put429: number;
    putDrop: number;
    putCorrupt: number;
    api5xx: number;
    api429: number;
  };
  /** Per upload id, then per part number. */
  parts: Record<string, Record<number, PartAccounting>>;
}

/** PUT counters of one part. */
export interface PartAccounting {
  /** PUTs that reached the handler. */
  puts: number;
  /** PUTs that stored the part. */
  successes: number;
  /** PUTs that ended, stored or not (refused, cut off, failed). `puts - ended` are on the wire. */
  ended: number;
  bytesReceived: number;
}

/** Lifecycle state of an upload. */
export type UploadStatus = 'in_progress' | 'completed' | 'aborted' | 'corrupt';

/** Read-only view of one upload, for assertions. */
export interface UploadSnapshot {
  uploadId: string;
  fileUid: string;
  filename: string;
  fileType: string;
  numBytes: number;
  partSize: number;
  numParts: number;
  status: UploadStatus;
  /** Part numbers with a stored successful PUT, ascending. */
  uploadedParts: number[];
  /** Checkpointed part numbers, ascending. */
  checkpointedParts: number[];
}

/** Handle of a running emulator. */
export interface RunningEmulator {
  /** e.g. `http://127.0.0.1:4600/v0.5` */
  apiUrl: string;
  /** e.g. `http://127.0.0.1:4601` */
  storageUrl: string;
  /** e.g. `http://127.0.0.1:4600/__emulator` */
  adminUrl: string;
  apiKey: string;
  dataDir: string;
  /** The storage backend in use (`storageUrl` is the bucket's endpoint with `s3`). */
  storage: StorageKind;
  getFaults(): FaultConfig;
  /** Deep-merges the patch (sub-objects merge) and returns the new configuration. */
  setFaults(patch: DeepPartial<FaultConfig>): FaultConfig;
  accounting(): Accounting;
  upload(uploadId: string): UploadSnapshot | undefined;
  /** Forgets all uploads, files and accounting (deleting their data); keeps the config. */
  reset(): Promise<void>;
  /** Stops both servers, destroys open sockets and waits for pending writes. */
  close(): Promise<void>;
}
