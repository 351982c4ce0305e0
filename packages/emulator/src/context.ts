import type { AccountingBook } from './accounting.js';
import type { EmulatorConfig } from './config.js';
import type { FaultInjector } from './faults.js';
import type { UrlSigner } from './signing.js';
import type { StorageBackend } from './storage/index.js';
import type { Store } from './store.js';

/** Everything the route modules share. */
export interface EmulatorContext {
  readonly config: EmulatorConfig;
  readonly store: Store;
  readonly signer: UrlSigner;
  readonly faults: FaultInjector;
  readonly book: AccountingBook;
  /** Where part bytes go. */
  readonly storage: StorageBackend;
  /** The API key in force: starts as `config.apiKey`, changed by `PUT /__emulator/api-key`. */
  apiKey: string;
  /** Known once both servers listen. */
  apiUrl: string;
  storageUrl: string;
}
