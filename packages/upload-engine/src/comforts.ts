/**
 * Opt-in comforts for uploads that run for hours: a Screen Wake Lock (a sleeping laptop drops
 * the connection) and a `beforeunload` prompt. Both follow one switch, "an upload runs";
 * the controller flips it from the state table's `running` tag.
 */
export class LongUploadComforts {
  #running = false;
  #wakeLock: WakeLockSentinel | undefined;
  #requesting = false;
  readonly #keepAwake: boolean;
  readonly #warn: boolean;

  constructor(options: {
    keepAwake?: boolean | undefined;
    warnBeforeUnload?: boolean | undefined;
  }) {
    this.#keepAwake = options.keepAwake === true;
    this.#warn = options.warnBeforeUnload === true;
  }

  /** Whether a wake lock is held now (for tests and UIs). */
  get awake(): boolean {
    return this.#wakeLock !== undefined && !this.#wakeLock.released;
  }

  set running(running: boolean) {
    if (running === this.#running || typeof document === 'undefined') return;
    this.#running = running;
    if (running) {
      if (this.#warn) window.addEventListener('beforeunload', this.#onBeforeUnload);
      if (this.#keepAwake) {
        document.addEventListener('visibilitychange', this.#onVisibility);
        void this.#acquire();
      }
    } else {
      window.removeEventListener('beforeunload', this.#onBeforeUnload);
      document.removeEventListener('visibilitychange', this.#onVisibility);
      void this.#wakeLock?.release().catch(() => {});
      this.#wakeLock = undefined;
    }
  }

  readonly #onBeforeUnload = (e: BeforeUnloadEvent) => {
    e.preventDefault();
    // Older browsers need returnValue set to show the prompt (read-only on a plain Event).
    try {
      e.returnValue = '';
    } catch {
      // preventDefault() was enough.
    }
  };

  // The browser releases a wake lock when the page is hidden (the spec requires it); take it
  // again when the page is shown while the upload still runs.
  readonly #onVisibility = () => {
    if (document.visibilityState === 'visible' && this.#running && !this.awake)
      void this.#acquire();
  };

  async #acquire(): Promise<void> {
    const wakeLock = typeof navigator !== 'undefined' ? navigator.wakeLock : undefined;
    if (!wakeLock || this.#requesting || document.visibilityState !== 'visible') return;
    this.#requesting = true;
    try {
      const sentinel = await wakeLock.request('screen');
      if (this.#running) this.#wakeLock = sentinel;
      else void sentinel.release();
    } catch {
      // Refused (battery saver, no permission): uploading goes on without it.
    } finally {
      this.#requesting = false;
    }
  }
}
