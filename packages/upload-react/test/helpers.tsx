import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, StrictMode } from 'react';

function Providers(props: { client: QueryClient; strict: boolean; children: ReactNode }) {
  const tree = <QueryClientProvider client={props.client}>{props.children}</QueryClientProvider>;
  return props.strict ? <StrictMode>{tree}</StrictMode> : tree;
}

/** A fresh QueryClient and a wrapper providing it, optionally inside `<StrictMode>`. */
export function providers(strict = false) {
  const queryClient = new QueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <Providers client={queryClient} strict={strict}>
      {children}
    </Providers>
  );
  return { queryClient, Wrapper: wrapper };
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
