import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, StrictMode } from 'react';

/** A fresh QueryClient and a wrapper providing it, optionally inside `<StrictMode>`. */
export function providers(strict = false) {
  const queryClient = new QueryClient();
  function Wrapper({ children }: { children: ReactNode }) {
    const tree = <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
    return strict ? <StrictMode>{tree}</StrictMode> : tree;
  }
  return { queryClient, Wrapper };
}

/** A promise with its resolver, to hold the fake server's PUTs open. */
export function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Lets the deferred unmount release (`setTimeout(0)`) run. */
export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
