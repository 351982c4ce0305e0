/**
 * The physical limit here: the same flow with no browser. A Node process does
 * initiate → PUTs of every part (same concurrency, each body streamed from the file
 * with `fs.createReadStream(path, { start, end })` over keep-alive `node:http`) →
 * complete, and prints one JSON line: { ok, ms, bytes, uploadId, fileName, cpuSeconds }.
 *
 *   node limit-client.js '{"apiUrl":…,"apiKey":…,"path":…,"name":…,"concurrency":4}'
 */
import { createReadStream, statSync } from 'node:fs';
import { Agent, request } from 'node:http';

interface Args {
  apiUrl: string;
  apiKey: string;
  path: string;
  name: string;
  concurrency: number;
}
interface Part {
  part_number: number;
  url: string;
  offset: number;
  length: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const agent = new Agent({ keepAlive: true, maxSockets: args.concurrency });

async function api<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${args.apiUrl}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${args.apiKey}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

function put(part: Part): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      part.url,
      { method: 'PUT', agent, headers: { 'Content-Length': part.length } },
      (res) => {
        res.resume();
        res.on('end', () => {
          const etag = res.headers.etag;
          if (res.statusCode === 200 && etag) resolve(etag);
          else reject(new Error(`part ${part.part_number}: HTTP ${res.statusCode}`));
        });
      },
    );
    req.on('error', reject);
    createReadStream(args.path, {
      start: part.offset,
      end: part.offset + part.length - 1,
      highWaterMark: 1024 * 1024,
    })
      .on('error', reject)
      .pipe(req);
  });
}

const size = statSync(args.path).size;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const init = await api<{ upload_id: string; parts: Part[] }>('/files/uploads/initiate', {
  filename: args.name,
  file_type: 'application/x-parquet',
  num_bytes: size,
});
const tokens: Array<{ part_number: number; part_token: string }> = [];
let next = 0;
await Promise.all(
  Array.from({ length: args.concurrency }, async () => {
    while (next < init.parts.length) {
      const part = init.parts[next++]!;
      tokens.push({ part_number: part.part_number, part_token: await put(part) });
    }
  }),
);
const done = await api<{ file_name: string; file_status: string }>(
  `/files/uploads/${init.upload_id}/complete`,
  { parts: tokens },
);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
agent.destroy();
process.stdout.write(
  `${JSON.stringify({
    ok: done.file_status === 'Registered',
    ms,
    bytes: size,
    uploadId: init.upload_id,
    fileName: done.file_name,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  })}\n`,
);
