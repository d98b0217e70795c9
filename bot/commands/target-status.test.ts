import { describe, expect, it } from 'vitest';
import type { Target } from '../../shared/index.js';
import { lookupTarget } from '../config/targets.js';
import { createFakeDeps } from '../test-support/fake-deps.js';
import { gatherStatus } from './target-status.js';

describe('gatherStatus', () => {
  it('lets requests that arrive during a read share it, and reads afresh after', async () => {
    const { deps, cloud } = createFakeDeps();
    const web = lookupTarget(deps.config, 'web') as Target;
    const api = lookupTarget(deps.config, 'api') as Target;
    const calls = () => cloud('web').calls().DescribeInstances;

    const together = await Promise.all([
      gatherStatus(deps.service, web),
      gatherStatus(deps.service, web),
      gatherStatus(deps.service, web),
    ]);
    expect(calls()).toBe(1);
    expect(together[1]).toBe(together[0]);
    expect(together[0]?.instance?.state).toBe('running');

    // Another target is another read; a later request is a new one.
    await gatherStatus(deps.service, api);
    expect(cloud('api').calls().DescribeInstances).toBe(1);
    const later = await gatherStatus(deps.service, web);
    expect(calls()).toBe(2);
    expect(later).not.toBe(together[0]);
  });
});
