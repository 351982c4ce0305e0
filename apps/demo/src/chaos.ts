import { emulatorAdminUrl } from './config';

/** The emulator faults the chaos switch turns on: enough to see retries and URL refreshes heal. */
export const CHAOS_FAULTS = {
  partPut: { error5xxRate: 0.1, error429Rate: 0.03, dropRate: 0.05, corruptRate: 0 },
  api: { error5xxRate: 0.05, error429Rate: 0.02 },
  retryAfterSeconds: 1,
  urlTtlSeconds: 15,
};

const CALM_FAULTS = {
  partPut: { error5xxRate: 0, error429Rate: 0, dropRate: 0, corruptRate: 0 },
  api: { error5xxRate: 0, error429Rate: 0 },
  urlTtlSeconds: 3600,
};

/** Switches the emulator's fault injection through its loopback admin route. */
export async function setChaos(apiBaseUrl: string, on: boolean): Promise<void> {
  const admin = emulatorAdminUrl(apiBaseUrl);
  if (!admin) throw new Error('Chaos needs the local emulator (an absolute API URL)');
  const res = await fetch(`${admin}/faults`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(on ? CHAOS_FAULTS : CALM_FAULTS),
  });
  if (!res.ok) throw new Error(`The emulator refused the fault settings (${res.status})`);
}
