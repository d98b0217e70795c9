import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BODY_SNIPPET_CHARS, createHttpProbe } from './http-probe.js';

let server: Server | undefined;
let userAgents: (string | undefined)[] = [];

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  userAgents = [];
  server = createServer((request, response) => {
    userAgents.push(request.headers['user-agent']);
    handler?.(request, response);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

describe('createHttpProbe', () => {
  it('returns the status and the start of the body, and says who is asking', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(503, { 'content-type': 'text/plain' });
      response.end('upstream not ready');
    });

    const result = await createHttpProbe({ version: '1.2.3' }).get(`${url}/health`, 2_000);

    expect(result).toEqual({ status: 503, bodySnippet: 'upstream not ready' });
    expect(userAgents).toEqual(['domtory-recovery/1.2.3']);
  });

  it(`keeps only the first ${BODY_SNIPPET_CHARS} characters of a long body, without reading all of it`, async () => {
    const url = await serve((_request, response) => {
      response.writeHead(200);
      // Never ends: the probe must stop reading on its own.
      response.write('a'.repeat(64 * 1024));
    });

    const result = await createHttpProbe().get(url, 2_000);

    expect(result).toEqual({ status: 200, bodySnippet: 'a'.repeat(BODY_SNIPPET_CHARS) });
  });

  it("sends a URL's user and password as Basic authorization, which fetch would refuse in the URL", async () => {
    let authorization: string | undefined;
    const url = await serve((request, response) => {
      authorization = request.headers.authorization;
      response.writeHead(authorization === undefined ? 401 : 200);
      response.end();
    });
    const withUser = url.replace('http://', 'http://probe:p%40ss@');

    const result = await createHttpProbe().get(`${withUser}/health`, 2_000);

    expect(result).toMatchObject({ status: 200 });
    expect(authorization).toBe(`Basic ${Buffer.from('probe:p@ss').toString('base64')}`);
  });

  it("never repeats the URL's query in an error message, which fetch's own messages may quote", async () => {
    const result = await createHttpProbe().get('http://[::1/health?token=t0ken-value', 2_000);

    expect(result).toEqual({ error: 'Failed to parse URL from (an unreadable URL): Invalid URL' });
  });

  it('reports a server that does not answer in time as an error', async () => {
    const url = await serve(() => {});

    const result = await createHttpProbe().get(`${url}/health?token=t0ken-value`, 100);

    // The message shows where, never the URL's query (a token) or password.
    expect(result).toEqual({ error: `no answer from ${url}/health?… within 100 ms` });
  });

  it('reports a refused connection with its reason instead of throwing', async () => {
    const url = await serve(() => {});
    server?.close();
    server?.closeAllConnections();

    const result = await createHttpProbe().get(url, 2_000);

    expect('error' in result && result.error).toMatch(/ECONNREFUSED/);
  });

  it('reports an unusable URL as an error instead of throwing', async () => {
    const result = await createHttpProbe().get('not a url', 1_000);

    expect(result).toHaveProperty('error');
  });
});
