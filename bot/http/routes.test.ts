import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logger.js';
import type { SnsRequest } from '../sns/intake.js';
import { rawGetStatusLine } from '../test-support/raw-request.js';
import { WorkTracker } from '../work-tracker.js';
import { routeListener, snsRoute } from './routes.js';

const servers: Array<{ close: () => void }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** Ends after the tracker's first slice: timers of one duration fire in the order they were set. */
const turn = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

async function serve(work: WorkTracker, handled: SnsRequest[], job: () => Promise<void> = async () => {}) {
  const { logger, records } = createMemoryLogger();
  const route = snsRoute({
    intake: {
      handle: async (request) => {
        handled.push(request);
        return { status: 200, outcome: 'accepted', messageId: 'm', work: job };
      },
    },
    logger,
    work,
  });
  const server = createServer(routeListener([route], logger));
  // Seen before the route's handler, so a job can tell whether its request had been answered when it started.
  const responses: ServerResponse[] = [];
  server.prependListener('request', (_req, res) => responses.push(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sns`;
  const post = async () => {
    // A route that waited for its job before answering would never answer here: this turns that into a failure.
    const signal = AbortSignal.timeout(2_000);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"Type":"Notification"}',
      signal,
    });
    return { status: response.status, text: await response.text() };
  };
  return { post, records, responses };
}

describe('SNS route and the deferred work', () => {
  it('answers first and queues the work behind the answer', async () => {
    const work = new WorkTracker();
    const handled: SnsRequest[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const job = { started: false, answeredBeforeStart: false, ran: false };
    const served = await serve(work, handled, async () => {
      job.started = true;
      job.answeredBeforeStart = served.responses[0]?.writableEnded === true;
      await held;
      job.ran = true;
    });
    expect(await served.post()).toEqual({ status: 200, text: 'accepted' });
    expect(handled).toHaveLength(1);
    expect(work.pending).toBe(1);
    expect(job.ran).toBe(false);
    // Whether the first slice has fired by the time the client reads the answer is a race; one turn later it has.
    await turn();
    expect(job).toEqual({ started: true, answeredBeforeStart: true, ran: false });
    expect(work.pending).toBe(1);
    release();
    await work.idle();
    expect(work.pending).toBe(0);
    expect(job.ran).toBe(true);
  });

  it('with the backlog full, answers 503 before reading or verifying anything, and logs it', async () => {
    const work = new WorkTracker({ maxPending: 1 });
    let release: () => void = () => {};
    work.schedule('stuck', () => new Promise<void>((resolve) => (release = resolve)));
    const handled: SnsRequest[] = [];
    const { post, records } = await serve(work, handled);
    expect(await post()).toEqual({ status: 503, text: 'overloaded' });
    expect(handled).toEqual([]);
    expect(work.refused).toBe(1);
    expect(records.find((r) => r.event === 'sns.rejected')).toMatchObject({
      status: 503,
      reason: 'overloaded',
    });
    release();
    await work.idle();
    expect((await post()).status).toBe(200);
    expect(handled).toHaveLength(1);
  });
});

describe('routeListener', () => {
  async function listen(fallback?: Parameters<typeof routeListener>[2]) {
    const { logger } = createMemoryLogger();
    const hits: string[] = [];
    const route = (path: string) => ({
      path,
      method: ['GET'],
      handler: (_req: unknown, res: ServerResponse) => {
        hits.push(path);
        res.end(path);
      },
    });
    const server = createServer(routeListener([route('/sns'), route('/healthz')], logger, fallback));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push({
      close: () => {
        server.closeAllConnections();
        server.close();
      },
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const get = async (path: string, method = 'GET') => {
      const response = await fetch(`${base}${path}`, { method });
      return { status: response.status, text: await response.text(), allow: response.headers.get('allow') };
    };
    const raw = (target: string) => rawGetStatusLine(base, target);
    return { get, raw, hits };
  }

  it('matches a route by its exact path, with a query or one trailing slash', async () => {
    const { get, hits } = await listen();
    expect(await get('/sns?x=1')).toMatchObject({ status: 200, text: '/sns' });
    expect(await get('/healthz/')).toMatchObject({ status: 200, text: '/healthz' });
    expect((await get('/sns/extra')).status).toBe(404);
    expect((await get('/SNS')).status).toBe(404);
    expect(hits).toEqual(['/sns', '/healthz']);
  });

  it('reads an absolute-form target, and answers 404 to one no URL parser accepts', async () => {
    const { raw, hits } = await listen();
    expect(await raw('http://bot.example.com/sns?x')).toBe('HTTP/1.1 200 OK');
    expect(await raw('http://[bad/sns')).toBe('HTTP/1.1 404 Not Found');
    expect(hits).toEqual(['/sns']);
  });

  it('answers 405 with the allowed methods for a method the route does not take', async () => {
    const { get, hits } = await listen();
    expect(await get('/sns', 'DELETE')).toMatchObject({ status: 405, allow: 'GET' });
    expect(hits).toEqual([]);
  });

  it('hands every other path to the fallback (Bolt, in HTTP mode) and answers none of them itself', async () => {
    const seen: string[] = [];
    const { get, hits } = await listen((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(418).end('bolt');
    });
    expect(await get('/slack/events', 'POST')).toMatchObject({ status: 418, text: 'bolt' });
    expect(await get('/nowhere?q')).toMatchObject({ status: 418, text: 'bolt' });
    expect(await get('/sns')).toMatchObject({ status: 200, text: '/sns' });
    expect(seen).toEqual(['POST /slack/events', 'GET /nowhere?q']);
    expect(hits).toEqual(['/sns']);
  });
});
