import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/index.js';
import {
  call,
  initiate,
  type PartEntry,
  putPart,
  startTemp,
  stopTemp,
  testBytes,
} from './helpers.js';

const PART = 4096;
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startTemp({ partSize: PART });
});
afterAll(() => stopTemp(emu));

async function freshPart(name: string, size = PART): Promise<{ id: string; part: PartEntry }> {
  const init = await initiate(emu, name, size);
  expect(init.status).toBe(200);
  return { id: init.body.upload_id, part: init.body.parts[0]! };
}

function withQuery(url: string, key: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set(key, value);
  return u.toString();
}

/** A CORS preflight as a browser sends it before a cross-origin PUT. */
function preflight(
  url: string,
  origin: string,
  method: string,
  requestHeaders: string | undefined,
): Promise<Response> {
  const headers: Record<string, string> = {
    Origin: origin,
    'Access-Control-Request-Method': method,
  };
  if (requestHeaders !== undefined) headers['Access-Control-Request-Headers'] = requestHeaders;
  return fetch(url, { method: 'OPTIONS', headers });
}

/** The names of the CORS headers of a response. */
function corsHeaders(res: { headers: Headers }): string[] {
  return [...res.headers.keys()].filter((h) => h.startsWith('access-control-'));
}

/** Sends raw HTTP bytes and returns everything the server answered. */
function rawExchange(port: number, head: string, body: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(head);
      socket.write(body);
      // Half-close: the body ends here, short of its Content-Length.
      setTimeout(() => socket.end(), 50);
    });
    let data = '';
    socket.on('data', (d) => {
      data += d.toString();
    });
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
  });
}

describe('presigned URL checks', () => {
  it('403 for tampered signatures, parts, uploads and expiry values', async () => {
    const { part } = await freshPart('tamper.csv', 2 * PART);
    const data = testBytes(2 * PART);
    const sig = new URL(part.url).searchParams.get('signature')!;
    const flipped = (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1);
    const variants = [
      withQuery(part.url, 'signature', flipped),
      withQuery(
        part.url,
        'expires',
        String(Number(new URL(part.url).searchParams.get('expires')) + 1),
      ),
      part.url.replace(/\/0\?/, '/1?'),
      part.url.replace(/upl_[a-z0-9]{26}/, 'upl_aaaaaaaaaaaaaaaaaaaaaaaaaa'),
      part.url.split('?')[0]!,
    ];
    for (const url of variants) {
      const r = await putPart({ ...part, url }, data);
      expect(r.status, url).toBe(403);
      expect(r.text).toMatch(/<Error><Code>(SignatureDoesNotMatch|AccessDenied)<\/Code>/);
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
      expect(r.headers.get('access-control-expose-headers')).toBe('ETag');
    }
    const tampered = await putPart({ ...part, url: variants[0]! }, data);
    expect(tampered.text).toContain('SignatureDoesNotMatch');
  });

  it('403 "Request has expired" after the URL lifetime, then a refreshed URL works', async () => {
    emu.setFaults({ urlTtlSeconds: 1 });
    let part: PartEntry;
    let id: string;
    try {
      ({ part, id } = await freshPart('expired.csv'));
    } finally {
      emu.setFaults({ urlTtlSeconds: 3600 });
    }
    await new Promise((r) => setTimeout(r, 2100));
    const data = testBytes(PART);
    const r = await putPart(part, data);
    expect(r.status).toBe(403);
    expect(r.text).toContain('<Code>AccessDenied</Code><Message>Request has expired</Message>');
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    const fresh = await call<{ parts: PartEntry[] }>(emu, `/files/uploads/${id}/parts/urls`, {
      part_numbers: [0],
    });
    expect(fresh.body.parts[0]!.url).not.toBe(part.url);
    expect((await putPart(fresh.body.parts[0]!, data)).status).toBe(200);
  });
});

describe('PUT body checks', () => {
  it('400 when Content-Length differs from the part length; nothing stored', async () => {
    const { id, part } = await freshPart('cl.csv', 2 * PART);
    const res = await fetch(part.url, { method: 'PUT', body: testBytes(PART - 1) });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('does not match');
    const longer = await fetch(part.url, { method: 'PUT', body: testBytes(PART + 1) });
    expect(longer.status).toBe(400);
    expect(emu.upload(id)?.uploadedParts).toEqual([]);
  });

  it('411 without Content-Length', async () => {
    const { part } = await freshPart('chunked.csv');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(part.url, { method: 'PUT' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(testBytes(100)); // no Content-Length: chunked transfer encoding
      req.end();
    });
    expect(status).toBe(411);
  });

  it('400 when the body ends short of Content-Length; nothing stored', async () => {
    const { id, part } = await freshPart('short.csv');
    const u = new URL(part.url);
    const before = emu.accounting().wastedBytes;
    const answer = await rawExchange(
      Number(u.port),
      `PUT ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nOrigin: http://localhost:5173\r\nContent-Length: ${PART}\r\n\r\n`,
      Buffer.from(testBytes(PART - 100)),
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('IncompleteBody');
    expect(answer).toContain('Access-Control-Allow-Origin: http://localhost:5173');
    await new Promise((r) => setTimeout(r, 50));
    expect(emu.upload(id)?.uploadedParts).toEqual([]);
    expect(emu.accounting().wastedBytes - before).toBe(PART - 100);
    // The storage origin still works afterwards.
    expect((await putPart(part, testBytes(PART))).status).toBe(200);
  });

  it('replaces a re-uploaded part and counts the resent bytes', async () => {
    const { id, part } = await freshPart('again.csv');
    const first = await putPart(part, testBytes(PART, 1));
    const second = await putPart(part, testBytes(PART, 2));
    expect(first.etag).not.toBe(second.etag);
    const acc = emu.accounting();
    expect(acc.parts[id]?.[0]).toEqual({
      puts: 2,
      successes: 2,
      ended: 2,
      bytesReceived: 2 * PART,
    });
    const get = await fetch(part.url);
    expect(get.status).toBe(200);
    expect(get.headers.get('etag')).toBe(second.etag);
    expect(Buffer.from(await get.arrayBuffer()).equals(Buffer.from(testBytes(PART, 2)))).toBe(true);
    expect(acc.resentBytes).toBeGreaterThanOrEqual(PART);
  });
});

describe('CORS and credentials', () => {
  it('sends CORS headers on success, errors and preflights', async () => {
    const { part } = await freshPart('cors.csv');
    const origin = 'http://localhost:5173';
    const ok = await putPart(part, testBytes(PART), { Origin: origin });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(origin);
    expect(ok.headers.get('access-control-expose-headers')).toBe('ETag');

    // Storage allows PUT with Content-Type (in any spelling) or with no extra header at all.
    for (const asked of ['Content-Type', ' content-type ,', undefined]) {
      const pre = await preflight(part.url, origin, 'PUT', asked);
      expect(pre.status, String(asked)).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe(origin);
      expect(pre.headers.get('access-control-allow-methods')).toBe('PUT');
      expect(pre.headers.get('access-control-allow-headers')).toBe('Content-Type');
      expect(Number(pre.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    }

    const apiPre = await fetch(`${emu.apiUrl}/files/uploads/initiate`, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type,x-custom',
      },
    });
    expect(apiPre.status).toBe(204);
    expect(apiPre.headers.get('access-control-allow-origin')).toBe(origin);
    expect(apiPre.headers.get('access-control-allow-headers')).toBe(
      'authorization,content-type,x-custom',
    );
    expect(apiPre.headers.get('access-control-allow-methods')).toContain('POST');
    const apiErr = await fetch(`${emu.apiUrl}/files/metadata`, { headers: { Origin: origin } });
    expect(apiErr.status).toBe(401);
    expect(apiErr.headers.get('access-control-allow-origin')).toBe(origin);
    expect(apiErr.headers.get('access-control-expose-headers')).toContain('Retry-After');
  });

  it('refuses a storage preflight that asks for Authorization or any other header or method', async () => {
    const { part } = await freshPart('cors-strict.csv');
    const origin = 'http://localhost:5173';
    const before = emu.accounting().storagePreflightsRefused;
    const refusals: Array<[string, string | undefined, RegExp]> = [
      ['PUT', 'authorization', /refused request header\(s\): authorization/],
      ['PUT', 'content-type,Authorization', /refused request header\(s\): authorization/],
      ['PUT', 'x-trace-id', /x-trace-id/],
      ['POST', undefined, /not POST/],
      ['DELETE', 'content-type', /not DELETE/],
    ];
    for (const [method, asked, why] of refusals) {
      const pre = await preflight(part.url, origin, method, asked);
      expect(pre.status, `${method} ${asked}`).toBe(403);
      // No CORS header at all: the browser blocks the request before it is sent.
      expect(corsHeaders(pre)).toEqual([]);
      const text = await pre.text();
      expect(text).toContain('<Code>AccessForbidden</Code>');
      expect(text).toMatch(why);
    }
    const notPreflight = await fetch(part.url, { method: 'OPTIONS' });
    expect(notPreflight.status).toBe(400);
    expect(notPreflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(emu.accounting().storagePreflightsRefused - before).toBe(refusals.length + 1);
  });

  it('omits ETag from Expose-Headers when exposeEtag is false', async () => {
    emu.setFaults({ exposeEtag: false });
    try {
      const { part } = await freshPart('noexpose.csv');
      const ok = await putPart(part, testBytes(PART), { Origin: 'http://localhost:5173' });
      expect(ok.status).toBe(200);
      expect(ok.etag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(ok.headers.get('access-control-expose-headers')).toBeNull();
      expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    } finally {
      emu.setFaults({ exposeEtag: true });
    }
  });

  it('counts storage requests that carry an Authorization header', async () => {
    const { part } = await freshPart('auth-leak.csv');
    const before = emu.accounting().storageAuthorizationHeaders;
    await putPart(part, testBytes(PART), { Authorization: 'Bearer leaked-key' });
    await fetch(part.url, { method: 'OPTIONS', headers: { Authorization: 'Bearer leaked-2' } });
    await putPart(part, testBytes(PART));
    const acc = emu.accounting();
    expect(acc.storageAuthorizationHeaders - before).toBe(2);
    expect(acc.storageAuthorizationSamples).toContain('Bearer leaked-key');
    expect(acc.storageAuthorizationSamples).toContain('Bearer leaked-2');
  });
});

describe('opaque storage errors (Ceph RGW 16)', () => {
  const origin = 'http://localhost:5173';

  it('answers a bad signature with a 403 without CORS headers; its preflight still passes', async () => {
    emu.setFaults({ opaqueStorageErrors: true });
    try {
      const { part } = await freshPart('opaque-sig.csv');
      const sig = new URL(part.url).searchParams.get('signature')!;
      const url = withQuery(part.url, 'signature', (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1));
      expect((await preflight(url, origin, 'PUT', 'content-type')).status).toBe(204);
      const r = await putPart({ ...part, url }, testBytes(PART), { Origin: origin });
      expect(r.status).toBe(403);
      expect(r.text).toContain('<Code>SignatureDoesNotMatch</Code>');
      expect(corsHeaders(r)).toEqual([]);
    } finally {
      emu.setFaults({ opaqueStorageErrors: false });
    }
  });

  it('answers an expired URL with a 403 without CORS headers, its preflight included', async () => {
    emu.setFaults({ urlTtlSeconds: 1, opaqueStorageErrors: true });
    try {
      const { part } = await freshPart('opaque-expired.csv');
      await new Promise((r) => setTimeout(r, 2100));
      const before = emu.accounting().storagePreflightsRefused;
      const pre = await preflight(part.url, origin, 'PUT', 'content-type');
      expect(pre.status).toBe(403);
      expect(corsHeaders(pre)).toEqual([]);
      expect(await pre.text()).toContain(
        '<Code>AccessDenied</Code><Message>Request has expired</Message>',
      );
      expect(emu.accounting().storagePreflightsRefused - before).toBe(1);
      const r = await putPart(part, testBytes(PART), { Origin: origin });
      expect(r.status).toBe(403);
      expect(r.text).toContain('Request has expired');
      expect(corsHeaders(r)).toEqual([]);
    } finally {
      emu.setFaults({ urlTtlSeconds: 3600, opaqueStorageErrors: false });
    }
  });

  it('keeps CORS headers on the other storage errors, and on 403s when the switch is off', async () => {
    const { part } = await freshPart('opaque-other.csv');
    emu.setFaults({ opaqueStorageErrors: true });
    try {
      const short = await fetch(part.url, {
        method: 'PUT',
        body: testBytes(PART - 1),
        headers: { Origin: origin },
      });
      expect(short.status).toBe(400);
      expect(short.headers.get('access-control-allow-origin')).toBe(origin);
    } finally {
      emu.setFaults({ opaqueStorageErrors: false });
    }
    const bad = withQuery(part.url, 'signature', '0'.repeat(64));
    const r = await putPart({ ...part, url: bad }, testBytes(PART), { Origin: origin });
    expect(r.status).toBe(403);
    expect(r.headers.get('access-control-allow-origin')).toBe(origin);
  });

  it('is set by the opaqueStorageErrors option and the admin route', async () => {
    const opaque = await startTemp({ partSize: PART, opaqueStorageErrors: true });
    try {
      expect(opaque.getFaults().opaqueStorageErrors).toBe(true);
      const init = await initiate(opaque, 'opt.csv', PART);
      const url = withQuery(init.body.parts[0]!.url, 'signature', '0'.repeat(64));
      const r = await putPart({ ...init.body.parts[0]!, url }, testBytes(PART), {
        Origin: origin,
      });
      expect(r.status).toBe(403);
      expect(corsHeaders(r)).toEqual([]);
      const off = await fetch(`${opaque.adminUrl}/faults`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ opaqueStorageErrors: false }),
      });
      expect(((await off.json()) as { opaqueStorageErrors: boolean }).opaqueStorageErrors).toBe(
        false,
      );
      const again = await putPart({ ...init.body.parts[0]!, url }, testBytes(PART), {
        Origin: origin,
      });
      expect(again.headers.get('access-control-allow-origin')).toBe(origin);
    } finally {
      await stopTemp(opaque);
    }
  });
});

describe('bandwidth cap', () => {
  it('slows a 2 MiB PUT at 4 MiB/s to at least 300 ms', async () => {
    const big = await startTemp({
      partSize: 2 * 1024 * 1024,
      faults: { bandwidthBytesPerSec: 4 * 1024 * 1024 },
    });
    try {
      const init = await initiate(big, 'slow.bin', 2 * 1024 * 1024);
      const started = performance.now();
      const r = await putPart(init.body.parts[0]!, testBytes(2 * 1024 * 1024));
      const elapsed = performance.now() - started;
      expect(r.status).toBe(200);
      expect(elapsed).toBeGreaterThanOrEqual(300);
      expect(big.accounting().bytesStored).toBe(2 * 1024 * 1024);
    } finally {
      await stopTemp(big);
    }
  });
});
