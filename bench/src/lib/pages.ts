/**
 * Builds the benchmark pages (bench/pages/*) with esbuild — production React,
 * workspace packages from their TypeScript source — and serves them on 127.0.0.1.
 * The server also carries the small S3-XML shim that Uppy 6's `signRequest` mode
 * needs for its create and complete calls (see pages/uppy6.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listenLocal, type StaticServer } from '@atai-upload/test-support';
import { build, type Plugin } from 'esbuild';

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Pages that can be built: entry file under bench/pages and options. */
const PAGES: Record<string, { entry: string; uppy5?: boolean; profiling?: boolean }> = {
  ours: { entry: 'ours.tsx' },
  naive: { entry: 'naive.ts' },
  bare: { entry: 'bare.ts' },
  uppy5: { entry: 'uppy5.ts', uppy5: true },
  uppy6: { entry: 'uppy6.ts' },
  crc: { entry: 'crc.ts' },
  react: { entry: 'react-progress.tsx', profiling: true },
};

export type PageName = 'ours' | 'naive' | 'bare' | 'uppy5' | 'uppy6' | 'crc' | 'react';

/**
 * Uppy 5 (the last @uppy/aws-s3 with custom multipart functions) is installed under
 * aliases beside Uppy 6; its own `@uppy/core` imports must reach Uppy 5's core.
 */
const uppy5Core: Plugin = {
  name: 'uppy5-core',
  setup(b) {
    b.onResolve({ filter: /^@uppy\/core(\/.*)?$/ }, (args) =>
      b.resolve(args.path.replace('@uppy/core', 'uppy5-core'), {
        resolveDir: benchDir,
        kind: args.kind,
      }),
    );
  },
};

async function bundle(
  entry: string,
  opts: { uppy5?: boolean; profiling?: boolean; keepSideEffects?: boolean; minify?: boolean },
) {
  const result = await build({
    entryPoints: [join(benchDir, 'pages', entry)],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    minify: opts.minify ?? true,
    jsx: 'automatic',
    conditions: ['source', 'browser', 'module'],
    define: { 'process.env.NODE_ENV': '"production"' },
    // React's profiling build keeps <Profiler onRender> working in production mode.
    alias: opts.profiling ? { 'react-dom/client': 'react-dom/profiling' } : {},
    plugins: opts.uppy5 ? [uppy5Core] : [],
    // The engine declares `sideEffects: false`; the worker entry is nothing but a side effect.
    ignoreAnnotations: opts.keepSideEffects ?? false,
    logLevel: 'error',
  });
  return result.outputFiles![0]!.text;
}

const html = (name: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>bench ${name}</title></head>` +
  `<body><input type="file" id="file"><div id="root"></div>` +
  `<script type="module" src="/${name}.js"></script></body></html>`;

/** The bench pages on 127.0.0.1 (the project's one local-server helper). */
export type PageServer = StaticServer;

/**
 * Builds `names` (plus the CRC workers) and serves them: `${url}/<name>.html`. Unminified
 * (`minify: false`), each module of the bundle starts with a `// path` comment, which is
 * how the profiler tells whose code a sample ran.
 */
export async function servePages(
  names: PageName[],
  { minify = true }: { minify?: boolean } = {},
): Promise<PageServer & { sources: Map<string, string> }> {
  const sources = new Map<string, string>();
  const files = new Map<string, { type: string; body: string }>();
  for (const worker of ['crc32c.worker', 'crc32c-kernel.worker']) {
    files.set(`/${worker}.js`, {
      type: 'text/javascript',
      body: await bundle(`${worker}.ts`, { keepSideEffects: true, minify }),
    });
  }
  for (const name of names) {
    files.set(`/${name}.html`, { type: 'text/html; charset=utf-8', body: html(name) });
    files.set(`/${name}.js`, {
      type: 'text/javascript',
      body: await bundle(PAGES[name]!.entry, { ...PAGES[name]!, minify }),
    });
  }
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/s3shim/')) {
      s3shim(req, res, url).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(String(e));
      });
      return;
    }
    const f = files.get(url.pathname);
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': f.type, 'Cache-Control': 'no-store' }).end(f.body);
  });
  for (const [path, f] of files) if (path.endsWith('.js')) sources.set(path, f.body);
  return { ...(await listenLocal(server)), sources };
}

async function readText(req: IncomingMessage): Promise<string> {
  let s = '';
  for await (const c of req as AsyncIterable<Buffer>) s += c.toString('utf8');
  return s;
}

const xml = (res: ServerResponse, status: number, body: string) =>
  res
    .writeHead(status, { 'Content-Type': 'application/xml', 'Cache-Control': 'no-store' })
    .end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);

/**
 * Uppy 6 speaks S3's XML for CreateMultipartUpload and CompleteMultipartUpload to the
 * URL its `signRequest` returns. The page itself calls initiate (and keeps the part
 * URLs); create only echoes the upload id back as XML, and complete turns Uppy's XML
 * part list into the API's complete call ({part_number: PartNumber − 1, part_token: ETag}).
 */
async function s3shim(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const uploadId = url.searchParams.get('upload_id') ?? '';
  const key = url.searchParams.get('key') ?? '';
  if (url.pathname === '/s3shim/create') {
    await readText(req);
    xml(
      res,
      200,
      `<InitiateMultipartUploadResult><Key>${key}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
    );
    return;
  }
  if (url.pathname === '/s3shim/complete') {
    const body = await readText(req);
    const parts = [
      ...body.matchAll(/<Part><PartNumber>(\d+)<\/PartNumber><ETag>([^<]*)<\/ETag><\/Part>/g),
    ].map((m) => {
      const etag = m[2]!.replace(/&quot;|&#34;/g, '"');
      // Uppy strips the quotes the ETag came with; the API wants the token as received.
      return {
        part_number: Number(m[1]) - 1,
        part_token: etag.startsWith('"') ? etag : `"${etag}"`,
      };
    });
    const api = url.searchParams.get('api') ?? '';
    const r = await fetch(`${api}/files/uploads/${encodeURIComponent(uploadId)}/complete`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${url.searchParams.get('apikey') ?? ''}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ parts }),
    });
    if (!r.ok) {
      xml(
        res,
        r.status,
        `<Error><Code>CompleteFailed</Code><Message>${await r.text()}</Message></Error>`,
      );
      return;
    }
    xml(
      res,
      200,
      `<CompleteMultipartUploadResult><Location>${api}/files/download/${key}</Location><Key>${key}</Key></CompleteMultipartUploadResult>`,
    );
    return;
  }
  res.writeHead(404).end();
}
