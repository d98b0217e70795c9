import { describe, expect, it, vi } from 'vitest';
import { systemClock } from '../ports.js';
import { createAwsClients, createAwsPorts } from './index.js';

describe('createAwsPorts', () => {
  it('creates no AWS client until a port is used', () => {
    const clients = createAwsClients({ region: 'ap-northeast-2' });
    const client = vi.spyOn(clients, 'client');

    const ports = createAwsPorts({ clients });

    expect(client).not.toHaveBeenCalled();
    expect(Object.keys(ports).sort()).toEqual(['clock', 'commands', 'ec2', 'http', 'metrics', 'parameters']);
  });

  it('uses the system clock unless given another', () => {
    const clock = { now: () => 0, sleep: async () => {} };

    expect(createAwsPorts({ region: 'ap-northeast-2' }).clock).toBe(systemClock);
    expect(createAwsPorts({ region: 'ap-northeast-2', clock }).clock).toBe(clock);
  });
});
