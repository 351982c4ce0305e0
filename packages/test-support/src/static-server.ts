import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 (a random port); `close()` also drops kept-alive connections. */
export async function listenLocal(server: Server): Promise<StaticServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Serves fixed in-memory files on 127.0.0.1 (a random port); stops on close().
 * `headers` go on every answer (e.g. a Content-Security-Policy under test).
 */
export function serveStatic(
  files: Record<string, { type: string; body: string }>,
  headers: Record<string, string> = {},
): Promise<StaticServer> {
  return listenLocal(
    createServer((req, res) => {
      const f = files[new URL(req.url ?? '/', 'http://x').pathname];
      if (!f) {
        res.writeHead(404).end();
        return;
      }
      res
        .writeHead(200, { ...headers, 'Content-Type': f.type, 'Cache-Control': 'no-store' })
        .end(f.body);
    }),
  );
}
