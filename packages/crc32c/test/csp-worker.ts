// The worker of the CSP test page: answers one probe request.
import { type CspProbe, probe } from './csp-probe.js';

// Typed narrowly instead of pulling in the WebWorker lib, which clashes with DOM.
const scope = self as unknown as {
  onmessage: ((ev: MessageEvent<number>) => void) | null;
  postMessage(message: CspProbe | { error: string }): void;
};

scope.onmessage = (ev) => {
  probe(ev.data).then(
    (result) => scope.postMessage(result),
    (e: unknown) => scope.postMessage({ error: String(e) }),
  );
};
