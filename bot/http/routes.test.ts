import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logger.js';
import type { SnsRequest } from '../sns/intake.js';
import { WorkTracker } from '../work-tracker.js';
import { routeListener, snsRoute } from './routes.js';

const servers: Array<{ close: () => void }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function serve(work: WorkTracker, handled: SnsRequest[]) {
  const { logger, records } = createMemoryLogger();
  const route = snsRoute({
    intake: {
      handle: async (request) => {
        handled.push(request);
        return {
          status: 200,
          outcome: 'accepted',
          messageId: 'm',
          work: async () => {},
        };
      },
    },
    logger,
    work,
  });
  const server = createServer(routeListener([route], logger));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({ close: () => server.close() });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sns`;
  const post = async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"Type":"Notification"}',
    });
    return { status: response.status, text: await response.text() };
  };
  return { post, records };
}

describe('SNS route and the deferred work', () => {
  it('answers first and queues the work behind the answer', async () => {
    const work = new WorkTracker();
    const handled: SnsRequest[] = [];
    const { post } = await serve(work, handled);
    expect(await post()).toEqual({ status: 200, text: 'accepted' });
    await work.idle();
    expect(handled).toHaveLength(1);
    expect(work.pending).toBe(0);
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
