import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv } from 'vite';

/**
 * Workspace packages resolve to their TypeScript source (`source` condition), so
 * the demo needs no package build. With ATAI_PROXY_TARGET set, `/api` is proxied
 * same-origin to that API and ATAI_API_KEY is added there, on the server: a real
 * key never enters the browser bundle (set VITE_API_BASE_URL=/api/v0.5 then).
 */
export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), '');
  const target = env.ATAI_PROXY_TARGET;
  const proxy = target
    ? {
        '/api': {
          target,
          changeOrigin: true,
          rewrite: (path: string) => path.replace(/^\/api/, ''),
          headers: env.ATAI_API_KEY ? { Authorization: `Bearer ${env.ATAI_API_KEY}` } : {},
        },
      }
    : undefined;
  return {
    plugins: [react(), tailwindcss()],
    resolve: { conditions: ['source', 'module', 'browser', 'development|production'] },
    worker: { format: 'es' },
    server: { host: '127.0.0.1', port: Number(env.DEMO_PORT ?? 5173), strictPort: false, proxy },
    preview: { host: '127.0.0.1', port: Number(env.DEMO_PORT ?? 4173), proxy },
    build: { target: 'es2022', sourcemap: true },
  };
});
