import type { RemoteUploadView } from './types.js';

/**
 * One tab per file. While a tab uploads a file it holds a Web Lock named after the file's
 * identity; another tab that gets the same file finds the lock taken, shows the owner's
 * progress (mirrored over a BroadcastChannel) and waits for the lock, which the browser hands
 * over when the owner finishes, closes or crashes. Commands (pause, resume, cancel) go the
 * other way, for the owner to carry out. Never two tabs PUTting the same parts.
 *
 * Written here rather than taken from a library: the pieces are two small browser APIs, and
 * the lock's lifetime has to follow the state table (taken in `preparing`, let go on entering
 * `idle`, `interrupted`, `completed`, `aborted`, and on dispose).
 */

/** What a follower may ask the owner to do. */
export type TabCommand = 'pause' | 'resume' | 'cancel';

type TabMessage =
  | { readonly t: 'hello'; readonly key: string }
  | { readonly t: 'state'; readonly key: string; readonly view: RemoteUploadView }
  | { readonly t: 'cmd'; readonly key: string; readonly action: TabCommand };

const CHANNEL = 'atai-upload:tabs';
const LOCK_PREFIX = 'atai-upload:file:';
/** Least time between two mirrored progress messages (status changes go at once). */
const MIRROR_INTERVAL_MS = 250;
/** How long a tab without Web Locks waits for an owner to answer. */
const PROBE_MS = 300;

/** The lock name of a file key. */
export function lockName(key: string): string {
  return LOCK_PREFIX + key;
}

interface Channel {
  post(message: TabMessage): void;
  close(): void;
}

function openChannel(onMessage: (message: TabMessage) => void): Channel | undefined {
  if (typeof BroadcastChannel === 'undefined') return undefined;
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (e: MessageEvent<TabMessage>) => onMessage(e.data);
  return {
    post: (m) => {
      try {
        channel.postMessage(m);
      } catch {
        // A view that cannot be cloned is not worth failing the upload for.
      }
    },
    close: () => channel.close(),
  };
}

/** The page's Web Locks, when it has them. */
export function defaultLocks(): LockManager | undefined {
  return typeof navigator !== 'undefined' && navigator.locks ? navigator.locks : undefined;
}

/** How the owner side reads its upload and carries out commands. */
export interface TabOwnerHooks {
  view(): RemoteUploadView;
  /** Calls back on every change of the upload (the store's subscribe). */
  subscribe(listener: () => void): () => void;
  command(action: TabCommand): void;
}

/** Outcome of {@link TabCoordinator.acquire}. */
export type LockOutcome = 'acquired' | 'held' | 'unsupported';

/** One controller's side of the tab protocol. */
export class TabCoordinator {
  #held: string | undefined;
  #letGo: (() => void) | undefined;
  #serving: { channel: Channel | undefined; unsubscribe: () => void } | undefined;
  readonly #owner: TabOwnerHooks;
  readonly #locks: LockManager | undefined | null;

  /** `locks`: the Web Locks to use; `undefined` when the page has none; `null`: the rule is off. */
  constructor(owner: TabOwnerHooks, locks: LockManager | undefined | null) {
    this.#owner = owner;
    this.#locks = locks;
  }

  /** The key whose lock this controller holds. */
  get heldKey(): string | undefined {
    return this.#held;
  }

  /**
   * Takes the lock of `key` (letting go of any other). `wait: false` answers `held` at once
   * when another tab has it; `wait: true` waits until it is free (or `signal` aborts).
   * Without Web Locks: `unsupported`, and the caller probes with {@link ownerAnswers}.
   */
  async acquire(key: string, wait: boolean, signal?: AbortSignal): Promise<LockOutcome> {
    if (this.#held === key) return 'acquired';
    this.release();
    const locks = this.#locks;
    if (locks === null) return 'acquired'; // the app turned the rule off: nothing to hold
    if (!locks) return 'unsupported';
    return new Promise<LockOutcome>((resolve, reject) => {
      locks
        .request(
          lockName(key),
          wait ? (signal ? { signal } : {}) : { ifAvailable: true },
          (lock) => {
            if (!lock) {
              resolve('held');
              return undefined;
            }
            if (signal?.aborted) {
              reject(signal.reason);
              return undefined; // the run ended while waiting: let go at once
            }
            this.#own(key);
            resolve('acquired');
            return new Promise<void>((letGo) => {
              this.#letGo = letGo;
            });
          },
        )
        .catch(reject);
    });
  }

  /** Owns `key` without a lock (a browser without Web Locks, after a probe found no owner). */
  claim(key: string): void {
    this.release();
    this.#own(key);
  }

  /**
   * Lets go of the lock. `last` is the final state, posted first so a waiting tab learns the
   * upload finished before the lock reaches it (and does not start it again).
   */
  release(last?: Partial<RemoteUploadView>): void {
    const key = this.#held;
    if (key === undefined) return;
    if (last)
      this.#serving?.channel?.post({ t: 'state', key, view: { ...this.#owner.view(), ...last } });
    this.#serving?.unsubscribe();
    this.#serving?.channel?.close();
    this.#serving = undefined;
    this.#held = undefined;
    this.#letGo?.();
    this.#letGo = undefined;
  }

  /** Whether another tab (or controller) holds `key`'s lock now. */
  async isHeld(key: string): Promise<boolean> {
    const locks = this.#locks;
    if (!locks || this.#held === key) return false;
    const state = await locks.query();
    return (state.held ?? []).some((l) => l.name === lockName(key));
  }

  #own(key: string): void {
    this.#held = key;
    const channel = openChannel((m) => {
      if (m.key !== key) return;
      if (m.t === 'hello') channel?.post({ t: 'state', key, view: this.#owner.view() });
      else if (m.t === 'cmd') this.#owner.command(m.action);
    });
    let last = 0;
    let lastStatus: string | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const send = () => {
      timer = undefined;
      last = Date.now();
      const view = this.#owner.view();
      lastStatus = view.status;
      channel?.post({ t: 'state', key, view });
    };
    const unsubscribe = this.#owner.subscribe(() => {
      if (!channel) return;
      // Status changes go at once; progress at most every MIRROR_INTERVAL_MS.
      if (this.#owner.view().status !== lastStatus) {
        clearTimeout(timer);
        send();
      } else if (timer === undefined) {
        timer = setTimeout(send, Math.max(0, last + MIRROR_INTERVAL_MS - Date.now()));
      }
    });
    this.#serving = {
      channel,
      unsubscribe: () => {
        clearTimeout(timer);
        unsubscribe();
      },
    };
    channel?.post({ t: 'state', key, view: this.#owner.view() });
  }
}

/**
 * Follows the owner of `key`: `onView` gets each state it mirrors (and the current one at
 * once, asked with a hello). Returns the function that stops following.
 */
export function followOwner(key: string, onView: (view: RemoteUploadView) => void): () => void {
  const channel = openChannel((m) => {
    if (m.key === key && m.t === 'state') onView(m.view);
  });
  channel?.post({ t: 'hello', key });
  return () => channel?.close();
}

/** Asks the owner of `key` to pause, resume or cancel. */
export function commandOwner(key: string, action: TabCommand): void {
  const channel = openChannel(() => {});
  channel?.post({ t: 'cmd', key, action });
  channel?.close();
}

/**
 * Without Web Locks: whether a tab answers for `key` within a moment (it owns the file).
 * Resolves `false` when no BroadcastChannel exists either: nothing can tell then.
 */
export function ownerAnswers(key: string, timeoutMs = PROBE_MS): Promise<boolean> {
  return new Promise((resolve) => {
    let stop = () => {};
    const timer = setTimeout(() => {
      stop();
      resolve(false);
    }, timeoutMs);
    stop = followOwner(key, () => {
      clearTimeout(timer);
      stop();
      resolve(true);
    });
  });
}
