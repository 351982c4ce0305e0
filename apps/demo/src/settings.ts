import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { connectionDefaults } from './config';

/** Everything the settings drawer changes. Persisted in localStorage (never the key from a proxy). */
export interface DemoSettings {
  apiBaseUrl: string;
  apiKey: string;
  concurrency: number;
  checkpointBatchSize: number;
  checkpointIntervalMs: number;
  autoStart: boolean;
  chaos: boolean;
  theme: 'system' | 'light' | 'dark';
  set(patch: Partial<Omit<DemoSettings, 'set' | 'resetConnection'>>): void;
  resetConnection(): void;
}

const defaults = connectionDefaults();
// A URL override (used by tests) wins over what a previous visit stored.
const urlOverride = new URLSearchParams(window.location.search).has('apiBaseUrl');

export const useSettings = create<DemoSettings>()(
  persist(
    (set) => ({
      ...defaults,
      concurrency: 4,
      checkpointBatchSize: 8,
      checkpointIntervalMs: 5000,
      autoStart: true,
      chaos: false,
      theme: 'system',
      set: (patch) => set(patch),
      resetConnection: () => set(connectionDefaults()),
    }),
    {
      name: 'atai-upload-demo:settings',
      version: 1,
      merge: (persisted, current) => ({
        ...current,
        ...(persisted as Partial<DemoSettings>),
        ...(urlOverride ? defaults : {}),
      }),
    },
  ),
);
