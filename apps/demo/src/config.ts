/** Where the demo sends requests, before the settings drawer overrides anything. */
export interface ConnectionDefaults {
  apiBaseUrl: string;
  apiKey: string;
}

const EMULATOR_API = 'http://127.0.0.1:4600/v0.5';
const EMULATOR_KEY = 'local-dev-key';

/**
 * Build/dev-time defaults (VITE_API_BASE_URL, VITE_API_KEY, falling back to the
 * local emulator), overridden by `?apiBaseUrl=…&apiKey=…` in the page URL, which
 * is how the end-to-end tests point a built demo at an emulator on any port.
 */
export function connectionDefaults(search = window.location.search): ConnectionDefaults {
  const q = new URLSearchParams(search);
  return {
    apiBaseUrl: q.get('apiBaseUrl') ?? import.meta.env.VITE_API_BASE_URL ?? EMULATOR_API,
    apiKey: q.get('apiKey') ?? import.meta.env.VITE_API_KEY ?? EMULATOR_KEY,
  };
}

/** The emulator's admin route lives on the API origin; undefined for relative (proxied) bases. */
export function emulatorAdminUrl(apiBaseUrl: string): string | undefined {
  try {
    return `${new URL(apiBaseUrl).origin}/__emulator`;
  } catch {
    return undefined;
  }
}
