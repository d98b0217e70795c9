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
    expect(together[1]).toEqual(together[0]);
    expect(together[0]?.instance?.state).toBe('running');

    // Another target is another read; a later request is a new one.
    await gatherStatus(deps.service, api);
    expect(cloud('api').calls().DescribeInstances).toBe(1);
    const later = await gatherStatus(deps.service, web);
    expect(calls()).toBe(2);
    expect(later.instance?.state).toBe('running');
  });

  it('says what runs as each answer leaves, even when the read was shared', async () => {
    const { deps } = createFakeDeps();
    const web = lookupTarget(deps.config, 'web') as Target;
    const first = gatherStatus(deps.service, web);
    // A recovery starts while the read is under way; an answer that joins the read must show it.
    const attempt = deps.service.start({
      target: web,
      trigger: { kind: 'slack', actor: 'U0ALLOWED', detail: 'test' },
      dryRun: false,
      owner: 'slack:U0ALLOWED',
      header: 'restart',
    });
    expect(attempt.started).toBe(true);
    const second = gatherStatus(deps.service, web);
    const [a, b] = await Promise.all([first, second]);
    expect(a.running?.owner).toBe('slack:U0ALLOWED');
    expect(b.running?.owner).toBe('slack:U0ALLOWED');
    await deps.service.idle();
  });
});
