import type { RespondArguments } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createFakeDeps } from '../test-support/fake-deps.js';
import { ALLOWED_USER, OPS_CHANNEL, OTHER_USER } from '../test-support/test-bot.js';
import { WorkTracker } from '../work-tracker.js';
import {
  answerDeferredCommand,
  type CommandArgs,
  type DeferredCommand,
  domtoryCommand,
} from './domtory-command.js';

/** The listener called directly, with an ack and a respond that record the order of what happened. */
function call(text: string, user = ALLOWED_USER, channel = OPS_CHANNEL) {
  const events: Array<{
    kind: 'ack' | 'respond' | 'defer';
    body: string | RespondArguments | DeferredCommand | undefined;
  }> = [];
  const args: CommandArgs = {
    command: { text, user_id: user, channel_id: channel, response_url: 'https://hooks.slack.com/commands/x' },
    ack: async (body) => {
      events.push({ kind: 'ack', body });
    },
    respond: async (body) => {
      events.push({ kind: 'respond', body });
    },
  };
  return { args, events };
}

const bodyText = (body: unknown) => JSON.stringify(body ?? null);

describe('domtoryCommand', () => {
  it('acks before anything else, exactly once, for every subcommand', async () => {
    const fake = createFakeDeps();
    const listener = domtoryCommand(fake.deps);
    for (const text of [
      '',
      'help',
      'status',
      'status web',
      'history web',
      'restart web',
      'restart',
      'nonsense',
      'drill web',
    ]) {
      const { args, events } = call(text);
      await listener(args);
      expect(events[0]?.kind, text).toBe('ack');
      expect(
        events.filter((e) => e.kind === 'ack'),
        text,
      ).toHaveLength(1);
    }
    await fake.deps.service.idle();
  });

  it('still acks when the config lookup blows up', async () => {
    const fake = createFakeDeps();
    const broken = { ...fake.deps, config: { ...fake.deps.config, targets: null as never } };
    const { args, events } = call('status web');
    await domtoryCommand(broken)(args);
    expect(events).toHaveLength(1);
    expect(bodyText(events[0]?.body)).toContain('went wrong');
  });

  it('puts a refusal in the ack and does nothing else', async () => {
    const fake = createFakeDeps();
    const { args, events } = call('restart web', OTHER_USER);
    await domtoryCommand(fake.deps)(args);
    expect(events).toHaveLength(1);
    expect(bodyText(events[0]?.body)).toContain('not allowed to restart targets');
    expect(fake.cloud('web').calls().total).toBe(0);
  });

  it('asks for a target when several are configured', async () => {
    const fake = createFakeDeps();
    const { args, events } = call('drill');
    await domtoryCommand(fake.deps)(args);
    expect(bodyText(events[0]?.body)).toContain('`web`, `api`, `docs`');
  });

  it('defaults to the only target when just one is configured', async () => {
    const fake = createFakeDeps(`
region: ap-northeast-2
targets:
  solo: { instanceId: i-0aaaaaaaaaaaaaaa1, compose: { directory: /srv } }
slack: { channel: C0OPS, allowedUsers: [${ALLOWED_USER}] }
`);
    const { args, events } = call('restart');
    await domtoryCommand(fake.deps)(args);
    await fake.deps.work?.idle();
    expect(events[1]?.kind).toBe('respond');
    expect(bodyText(events[1]?.body)).toContain('Restart *solo*');
  });

  it('queues the work after the ack behind other requests, and says so when the queue is full', async () => {
    const fake = createFakeDeps();
    const queued = call('status web');
    await domtoryCommand(fake.deps)(queued.args);
    // Acked at once; the reply's reads wait for their turn in the queue.
    expect(queued.events.map((e) => e.kind)).toEqual(['ack']);
    await fake.deps.work?.idle();
    expect(queued.events.map((e) => e.kind)).toEqual(['ack', 'respond']);

    const full = call('status web');
    await domtoryCommand({ ...fake.deps, work: new WorkTracker({ maxPending: 0 }) })(full.args);
    expect(full.events.map((e) => e.kind)).toEqual(['ack', 'respond']);
    expect(bodyText(full.events[1]?.body)).toMatch(/too much to do right now/);
  });

  it('hands the work after the ack to deferCommand when one is set, except what starts something', async () => {
    const fake = createFakeDeps();
    const deferred: Array<() => Promise<void>> = [];
    for (const text of ['status', 'history web', 'restart web', 'drill web', 'help']) {
      const { args, events } = call(text);
      const listener = domtoryCommand({
        ...fake.deps,
        deferCommand: async (command, work) => {
          events.push({ kind: 'defer', body: command });
          deferred.push(work);
        },
      });
      await listener(args);
      const kinds = events.map((e) => e.kind);
      if (text === 'drill web' || text === 'help') expect(kinds, text).not.toContain('defer');
      else {
        // Acked, then handed over, and nothing answered or read here.
        expect(kinds, text).toEqual(['ack', 'defer']);
        expect(events[1]?.body).toEqual({
          text,
          userId: ALLOWED_USER,
          channelId: OPS_CHANNEL,
          responseUrl: 'https://hooks.slack.com/commands/x',
        });
      }
    }
    await fake.deps.service.idle();
    expect(deferred).toHaveLength(3);
  });

  it('answers a deferred command by planning it again: the same checks, the same answer', async () => {
    const fake = createFakeDeps();
    const answers: unknown[] = [];
    const respond = async (body: unknown) => {
      answers.push(body);
    };
    const deferred = (text: string, userId = ALLOWED_USER): DeferredCommand => ({
      text,
      userId,
      channelId: OPS_CHANNEL,
      responseUrl: 'https://hooks.slack.com/commands/x',
    });
    await answerDeferredCommand(fake.deps, deferred('restart web'), respond);
    expect(bodyText(answers[0])).toContain('Restart *web*');
    await answerDeferredCommand(fake.deps, deferred('restart web', OTHER_USER), respond);
    expect(bodyText(answers[1])).toContain('not allowed to restart targets');
    // A drill is never deferred; an event that claims one starts nothing.
    await answerDeferredCommand(fake.deps, deferred('drill web'), respond);
    expect(answers).toHaveLength(2);
    expect(fake.deps.service.runningCount).toBe(0);
    expect(fake.logs.filter((r) => r.event === 'slack.command-resumed')).toHaveLength(3);
  });
});
