import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@atai-upload/progress-panel/styles.css';
import './index.css';
import { App } from './App';
import { DEV_MUTATION_GC_MS, QueryDevtools } from './devtools';

const queryClient = new QueryClient(
  import.meta.env.DEV ? { defaultOptions: { mutations: { gcTime: DEV_MUTATION_GC_MS } } } : {},
);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
      <QueryDevtools />
    </QueryClientProvider>
  </StrictMode>,
);
