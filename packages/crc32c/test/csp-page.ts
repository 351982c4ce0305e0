// The CSP test page: probes the main thread, or a module worker served beside it.
import { type CspProbe, probe } from './csp-probe.js';

function inWorker(length: number): Promise<CspProbe> {
  return new Promise((resolve, reject) => {
    const w = new Worker('/worker.js', { type: 'module' });
    w.onmessage = (ev: MessageEvent<CspProbe | { error: string }>) => {
      w.terminate();
      if ('error' in ev.data) reject(new Error(ev.data.error));
      else resolve(ev.data);
    };
    w.onerror = (ev) => {
      w.terminate();
      reject(new Error(`worker failed: ${ev.message}`));
    };
    w.postMessage(length);
  });
}

(window as unknown as { cspTest: unknown }).cspTest = { main: probe, worker: inWorker };
