import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { setChaos } from './chaos';
import { emulatorAdminUrl } from './config';
import { useSettings } from './settings';

function Field({
  label,
  hint,
  children,
}: {
  label: string;
  hint?: string;
  children: (id: string) => ReactNode;
}) {
  const id = useId();
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children(id)}
      {hint && <p className="text-xs text-[var(--demo-muted)]">{hint}</p>}
    </div>
  );
}

/** A number input that never yields less than `min` (empty or invalid input counts as `min`). */
function NumberField(props: {
  label: string;
  hint?: string;
  min: number;
  max?: number;
  step?: number;
  value: number;
  onChange: (n: number) => void;
}) {
  return (
    <Field label={props.label} {...(props.hint ? { hint: props.hint } : {})}>
      {(id) => (
        <input
          id={id}
          type="number"
          min={props.min}
          max={props.max}
          step={props.step}
          value={props.value}
          className={input}
          onChange={(e) => props.onChange(Math.max(props.min, Number(e.target.value) || props.min))}
        />
      )}
    </Field>
  );
}

const input =
  'w-full rounded-md border border-[var(--demo-border)] bg-transparent px-2.5 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-blue-600';

/** Run-time settings: connection, concurrency, checkpoint batching, auto-start, chaos, theme. */
export function SettingsDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const s = useSettings();
  const [chaosError, setChaosError] = useState<string>();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  const [base, setBase] = useState(s.apiBaseUrl);
  const [key, setKey] = useState(s.apiKey);
  useEffect(() => {
    if (open) {
      setBase(s.apiBaseUrl);
      setKey(s.apiKey);
    }
  }, [open, s.apiBaseUrl, s.apiKey]);

  // Optimistic: the switch flips at once and flips back if the emulator refuses.
  const toggleChaos = async (on: boolean) => {
    setChaosError(undefined);
    s.set({ chaos: on });
    try {
      await setChaos(s.apiBaseUrl, on);
    } catch (e) {
      s.set({ chaos: !on });
      setChaosError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <dialog
      ref={dialog}
      onClose={onClose}
      aria-labelledby="settings-title"
      className="fixed inset-y-0 right-0 left-auto m-0 h-full max-h-none w-full max-w-sm border-l border-[var(--demo-border)] bg-[var(--demo-card)] p-0 text-[var(--demo-fg)] backdrop:bg-black/30"
    >
      <div className="flex h-full flex-col">
        <div className="flex items-center justify-between border-b border-[var(--demo-border)] px-5 py-4">
          <h2 id="settings-title" className="text-base font-semibold">
            Settings
          </h2>
          <button
            type="button"
            onClick={onClose}
            className="rounded-md px-2 py-1 text-sm hover:bg-black/5 dark:hover:bg-white/5"
          >
            Close
          </button>
        </div>
        <div className="flex-1 space-y-6 overflow-y-auto px-5 py-5">
          <section className="space-y-3">
            <h3 className="text-xs font-semibold tracking-wide text-[var(--demo-muted)] uppercase">
              Connection
            </h3>
            <Field
              label="API base URL"
              hint="The local emulator by default; /api/v0.5 goes through the dev proxy."
            >
              {(id) => (
                <input
                  id={id}
                  className={input}
                  value={base}
                  onChange={(e) => setBase(e.target.value)}
                />
              )}
            </Field>
            <Field
              label="API key"
              hint="Leave empty when a proxy adds it server-side. Stored in this browser only."
            >
              {(id) => (
                <input
                  id={id}
                  type="password"
                  autoComplete="off"
                  className={input}
                  value={key}
                  onChange={(e) => setKey(e.target.value)}
                />
              )}
            </Field>
            <div className="flex gap-2">
              <button
                type="button"
                className="rounded-md bg-blue-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-700"
                onClick={() => s.set({ apiBaseUrl: base.trim(), apiKey: key.trim() })}
              >
                Apply
              </button>
              <button
                type="button"
                className="rounded-md border border-[var(--demo-border)] px-3 py-1.5 text-sm"
                onClick={() => s.resetConnection()}
              >
                Use defaults
              </button>
            </div>
          </section>

          <section className="space-y-3">
            <h3 className="text-xs font-semibold tracking-wide text-[var(--demo-muted)] uppercase">
              Upload
            </h3>
            <Field label={`Parallel part uploads: ${s.concurrency}`} hint="Shared by all files.">
              {(id) => (
                <input
                  id={id}
                  type="range"
                  min={1}
                  max={16}
                  value={s.concurrency}
                  onChange={(e) => s.set({ concurrency: Number(e.target.value) })}
                  className="w-full"
                />
              )}
            </Field>
            <NumberField
              label="Checkpoint every N parts"
              hint="A reload re-sends at most one batch."
              min={1}
              max={500}
              value={s.checkpointBatchSize}
              onChange={(n) => s.set({ checkpointBatchSize: n })}
            />
            <NumberField
              label="…or every (ms)"
              min={100}
              step={100}
              value={s.checkpointIntervalMs}
              onChange={(n) => s.set({ checkpointIntervalMs: n })}
            />
            <label className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={s.autoStart}
                onChange={(e) => s.set({ autoStart: e.target.checked })}
              />
              Start uploading as soon as a file is picked
            </label>
          </section>

          <section className="space-y-3">
            <h3 className="text-xs font-semibold tracking-wide text-[var(--demo-muted)] uppercase">
              Chaos
            </h3>
            <label className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                checked={s.chaos}
                disabled={!emulatorAdminUrl(s.apiBaseUrl)}
                onChange={(e) => void toggleChaos(e.target.checked)}
                className="mt-0.5"
              />
              <span>
                Inject faults in the emulator: 10% failed part uploads, 5% dropped connections, rate
                limits and 15-second upload links. Watch retries and link refreshes heal the upload.
              </span>
            </label>
            {chaosError && (
              <p role="alert" className="text-sm text-red-600">
                {chaosError}
              </p>
            )}
          </section>

          <section className="space-y-3">
            <h3 className="text-xs font-semibold tracking-wide text-[var(--demo-muted)] uppercase">
              Theme
            </h3>
            <Field label="Theme">
              {(id) => (
                <select
                  id={id}
                  className={input}
                  value={s.theme}
                  onChange={(e) => s.set({ theme: e.target.value as 'system' | 'light' | 'dark' })}
                >
                  <option value="system">Follow the system</option>
                  <option value="light">Light</option>
                  <option value="dark">Dark</option>
                </select>
              )}
            </Field>
          </section>
        </div>
      </div>
    </dialog>
  );
}
