import { describe, expect, it } from 'vitest';
import { isRecoveryError } from '../errors.js';
import { createSimulatedCloud } from './cloud.js';

describe('simulated Parameter Store', () => {
  it('create-if-absent is atomic: of concurrent creates exactly one wins', async () => {
    const { ports } = createSimulatedCloud();
    const results = await Promise.all(
      ['bot', 'action', 'bot-2'].map((owner) => ports.parameters.create('/domtory-recovery/lock/web', owner)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = ['bot', 'action', 'bot-2'][results.indexOf(true)];
    expect(await ports.parameters.get('/domtory-recovery/lock/web')).toEqual({ value: winner, version: 1 });
    expect(await ports.parameters.create('/domtory-recovery/lock/web', 'late')).toBe(false);
  });

  it('versions increase with each write and restart after a delete', async () => {
    const { ports } = createSimulatedCloud();
    const name = '/domtory-recovery/history/web';
    expect(await ports.parameters.get(name)).toBeUndefined();
    expect(await ports.parameters.overwrite(name, '[]')).toBe(1);
    expect(await ports.parameters.overwrite(name, '[1]')).toBe(2);
    expect(await ports.parameters.overwrite(name, '[1,2]')).toBe(3);
    expect(await ports.parameters.get(name)).toEqual({ value: '[1,2]', version: 3 });
    await ports.parameters.delete(name);
    await ports.parameters.delete(name); // absent: a no-op
    expect(await ports.parameters.get(name)).toBeUndefined();
    expect(await ports.parameters.create(name, '[]')).toBe(true);
    expect(await ports.parameters.get(name)).toEqual({ value: '[]', version: 1 });
  });

  it('refuses what the real service refuses', async () => {
    const { ports } = createSimulatedCloud();
    const refused = async (promise: Promise<unknown>) => {
      const error = await promise.catch((e: unknown) => e);
      return isRecoveryError(error, 'aws-error');
    };
    expect(await refused(ports.parameters.create('/x', 'v'.repeat(4097)))).toBe(true);
    expect(await refused(ports.parameters.create('/x', ''))).toBe(true);
    expect(await refused(ports.parameters.create('no/leading/slash', 'v'))).toBe(true);
    expect(await refused(ports.parameters.create('/aws/reserved', 'v'))).toBe(true);
    expect(await refused(ports.parameters.create('/domtory-recovery/ok_name.1', 'v'))).toBe(false);
  });

  it('is shared by everyone holding the same cloud', async () => {
    const cloud = createSimulatedCloud();
    const bot = cloud.ports.parameters;
    const action = cloud.ports.parameters;
    await bot.create('/domtory-recovery/lock/web', 'bot');
    expect(await action.create('/domtory-recovery/lock/web', 'action')).toBe(false);
    expect(cloud.parameters().get('/domtory-recovery/lock/web')?.value).toBe('bot');
  });
});
