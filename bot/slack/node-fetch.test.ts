import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeFetch } from './node-fetch.js';

let server: Server;
let base: string;
let connections = 0;
const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      if (req.url === '/redirect') {
        res.writeHead(302, { location: 'https://elsewhere.example/' });
        res.end();
      } else if (req.url === '/slow') {
        setTimeout(() => res.end('late'), 500);
      } else if (req.url === '/limited') {
        res.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' });
        res.end('{"ok":false,"error":"ratelimited"}');
      } else {
        res.writeHead(200, { 'content-type': 'application/json', 'x-oauth-scopes': 'chat:write,commands' });
        res.end(JSON.stringify({ ok: true, echo: Buffer.concat(chunks).toString() }));
      }
    });
  });
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('createNodeFetch', () => {
  const nodeFetch = createNodeFetch();

  it('posts a form body with its headers and answers with a standard Response', async () => {
    const response = await nodeFetch(`${base}/api/chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'Bearer xoxb-1' },
      body: 'channel=C1&text=hi',
      redirect: 'error',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-oauth-scopes')).toBe('chat:write,commands');
    expect(await response.json()).toEqual({ ok: true, echo: 'channel=C1&text=hi' });
    const request = seen.at(-1);
    expect(request).toMatchObject({
      method: 'POST',
      url: '/api/chat.postMessage',
      body: 'channel=C1&text=hi',
    });
    expect(request?.headers).toMatchObject({
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'Bearer xoxb-1',
      'content-length': '18',
    });
  });

  it('passes status and headers of a rate limit through', async () => {
    const response = await nodeFetch(`${base}/limited`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
  });

  it('refuses a redirect when asked to', async () => {
    await expect(
      nodeFetch(`${base}/redirect`, { method: 'POST', body: 'x', redirect: 'error' }),
    ).rejects.toThrow(/redirect/);
  });

  it('honours an abort signal', async () => {
    await expect(
      nodeFetch(`${base}/slow`, { method: 'POST', body: 'x', signal: AbortSignal.timeout(50) }),
    ).rejects.toThrow();
  });

  it('reuses connections', async () => {
    const fresh = createNodeFetch();
    const before = connections;
    for (let i = 0; i < 5; i++)
      await (await fresh(`${base}/api/x`, { method: 'POST', body: String(i) })).text();
    expect(connections - before).toBe(1);
  });
});
