import { describe, expect, it } from 'vitest';
import type { ProgressEvent, RecoveryResult } from '../../shared/index.js';
import { createMemoryLogger } from '../logger.js';
import { RecordingSlack } from '../test-support/fake-deps.js';
import { createProgressRenderer } from './progress-renderer.js';

const result = (overrides: Partial<RecoveryResult> = {}): RecoveryResult => ({
  target: 'web',
  instanceId: 'i-0aaaaaaaaaaaaaaa1',
  trigger: { kind: 'alarm', actor: 'cpu-high' },
  dryRun: false,
  outcome: 'recovered',
  startedAt: new Date(0).toISOString(),
  finishedAt: new Date(120_000).toISOString(),
  durationMs: 120_000,
  steps: [],
  newBootSeen: true,
  escalated: false,
  commandIds: [],
  warnings: [],
  ...overrides,
});

function events(count: number): ProgressEvent[] {
  const list: ProgressEvent[] = [
    {
      type: 'recovery-started',
      at: 0,
      target: 'web',
      instanceId: 'i-0aaaaaaaaaaaaaaa1',
      trigger: { kind: 'alarm', actor: 'cpu-high' },
      dryRun: false,
    },
    { type: 'step-started', at: 1, target: 'web', step: 'wait-boot', title: 'Wait for a new boot' },
  ];
  for (let i = 0; i < count; i++)
    list.push({ type: 'step-progress', at: 2 + i, target: 'web', step: 'wait-boot', message: `poll ${i}` });
  return list;
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('progress renderer', () => {
  it('coalesces a burst of events into one post and few updates, and always sends the final state', async () => {
    const slack = new RecordingSlack();
    const renderer = createProgressRenderer({
      slack,
      channel: 'C0OPS',
      target: 'web',
      dryRun: false,
      header: 'h',
      minUpdateIntervalMs: 50,
      logger: createMemoryLogger().logger,
    });
    for (const event of events(200)) renderer.onEvent(event);
    await tick(20);
    for (const event of events(200).slice(2)) renderer.onEvent(event);
    renderer.onEvent({ type: 'warning', at: 500, target: 'web', message: 'credits are low' });
    renderer.onEvent({ type: 'recovery-finished', at: 600, target: 'web', result: result() });
    await renderer.finished;

    const topLevel = slack.posts.filter((p) => p.message.threadTs === undefined);
    expect(topLevel).toHaveLength(1);
    // 400 events, but at most: the final update plus one per interval that passed (~1 here).
    expect(slack.updates.length).toBeLessThanOrEqual(3);
    expect(JSON.stringify(slack.updates.at(-1)?.content.blocks)).toContain('Recovered');
    expect(slack.updates.every((u) => u.message.ts === topLevel[0]?.ts)).toBe(true);
    const thread = slack.posts
      .filter((p) => p.message.threadTs === topLevel[0]?.ts)
      .map((p) => p.message.text);
    expect(thread).toContain('Warning: credits are low');
  });

  it('spaces updates at least the interval apart while a recovery runs', async () => {
    const slack = new RecordingSlack();
    const sentAt: number[] = [];
    const update = slack.update.bind(slack);
    slack.update = async (m, c) => {
      sentAt.push(performance.now());
      return update(m, c);
    };
    const renderer = createProgressRenderer({
      slack,
      channel: 'C0OPS',
      target: 'web',
      dryRun: false,
      header: 'h',
      minUpdateIntervalMs: 40,
      logger: createMemoryLogger().logger,
    });
    const all = events(30);
    for (const [i, event] of all.entries()) {
      renderer.onEvent(event);
      if (i % 3 === 0) await tick(10);
    }
    await tick(60);
    expect(sentAt.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < sentAt.length; i++)
      expect((sentAt[i] ?? 0) - (sentAt[i - 1] ?? 0)).toBeGreaterThanOrEqual(35);
    renderer.onEvent({ type: 'recovery-finished', at: 99, target: 'web', result: result() });
    await renderer.finished;
  });

  it('never throws into the core and still finishes when Slack is down', async () => {
    const slack = new RecordingSlack();
    slack.failing = true;
    const { logger } = createMemoryLogger();
    const renderer = createProgressRenderer({
      slack,
      channel: 'C0OPS',
      target: 'web',
      dryRun: false,
      header: 'h',
      minUpdateIntervalMs: 0,
      logger,
    });
    for (const event of events(5)) expect(() => renderer.onEvent(event)).not.toThrow();
    renderer.onEvent({
      type: 'recovery-finished',
      at: 9,
      target: 'web',
      result: result({
        outcome: 'failed',
        error: { code: 'no-new-boot', message: 'no answer', fix: 'look' },
      }),
    });
    await renderer.finished;
    expect(await renderer.posted).toBeUndefined();
  });

  it('puts the failure reason and the fix in the thread', async () => {
    const slack = new RecordingSlack();
    const renderer = createProgressRenderer({
      slack,
      channel: 'C0OPS',
      target: 'web',
      dryRun: false,
      header: 'h',
      minUpdateIntervalMs: 0,
      logger: createMemoryLogger().logger,
    });
    renderer.onEvent(events(0)[0] as ProgressEvent);
    renderer.onEvent({
      type: 'step-failed',
      at: 5,
      target: 'web',
      step: 'compose-up',
      durationMs: 4,
      error: { code: 'compose-failed', message: 'compose up exited 1: port is already allocated' },
    });
    renderer.onEvent({
      type: 'recovery-finished',
      at: 9,
      target: 'web',
      result: result({
        outcome: 'failed',
        steps: [{ step: 'compose-up', status: 'failed', startedAt: '', durationMs: 4 }],
        error: {
          code: 'compose-failed',
          message: 'compose up exited 1: port is already allocated',
          fix: 'Free port 80.',
        },
        compose: {
          commandId: 'c-1',
          exitCode: 1,
          status: 'Failed',
          stdoutTail: '',
          stderrTail: 'Error: port is already allocated',
        },
      }),
    });
    await renderer.finished;
    const final = JSON.stringify(slack.updates.at(-1)?.content.blocks ?? slack.posts[0]?.message.blocks);
    expect(final).toContain('❌ *Failed* at *Start the compose app*');
    expect(final).toContain('*What to do:* Free port 80.');
    const thread = slack.posts
      .filter((p) => p.message.threadTs !== undefined)
      .map((p) => JSON.stringify(p.message.blocks));
    expect(thread.some((t) => t.includes('port is already allocated') && t.includes('stderr'))).toBe(true);
    expect(thread.some((t) => t.includes('*Why it failed:*') && t.includes('Free port 80.'))).toBe(true);
  });
});
