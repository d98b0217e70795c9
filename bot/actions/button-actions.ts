import type { RespondArguments } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { lookupTarget } from '../config/targets.js';
import type { BotDeps } from '../deps.js';
import { channelAllowed, userMayAct } from '../slack/authorization.js';
import { escapeText, slackDate } from '../slack/format.js';
import { decodeValue } from '../slack/ids.js';
import {
  alreadyRunning,
  closedAlarmPrompt,
  notAllowedChannel,
  notAllowedUser,
  nothingToIgnore,
} from '../slack/messages.js';

/** The part of Bolt's block-action arguments the listeners use; a test passes exactly this. */
export interface ButtonArgs {
  ack: () => Promise<void>;
  respond: (message: string | RespondArguments) => Promise<unknown>;
  action: { action_id: string; value?: string };
  body: {
    user: { id: string };
    channel?: { id: string };
    message?: { ts: string; thread_ts?: string; text?: string; blocks?: unknown[] };
  };
}

type Handler = (args: ButtonArgs) => Promise<void>;

const ephemeral = (text: string): RespondArguments =>
  ({ response_type: 'ephemeral', replace_original: false, text }) as RespondArguments;

/**
 * Every button press: ack first, then check who pressed it (a message in a channel can be clicked by anyone in
 * it), then act. The button's value only names a target, which is looked up in the config again.
 */
function guarded(
  deps: BotDeps,
  verb: string,
  act: (args: ButtonArgs, log: BotDeps['logger']) => Promise<void>,
): Handler {
  return async (args) => {
    await args.ack();
    const { body, action } = args;
    const log = deps.logger.child({
      user: body.user.id,
      channel: body.channel?.id,
      action: action.action_id,
    });
    try {
      log.info('slack.action');
      if (!userMayAct(deps.slackSettings, body.user.id)) {
        log.warn('slack.refused', { reason: 'user-not-allowed' });
        await args.respond(ephemeral(notAllowedUser(deps.slackSettings.allowedUsers, verb)));
        return;
      }
      if (!channelAllowed(deps.slackSettings, body.channel?.id)) {
        log.warn('slack.refused', { reason: 'channel-not-allowed' });
        await args.respond(
          ephemeral(
            notAllowedChannel([deps.slackSettings.channel, ...(deps.slackSettings.allowedChannels ?? [])]),
          ),
        );
        return;
      }
      await act(args, log);
    } catch (error) {
      log.error('slack.action-failed', { error });
    }
  };
}

/** The message with its buttons replaced by who decided what; the rest of it stays as it was. */
function decidedBlocks(blocks: unknown[] | undefined, note: string): KnownBlock[] {
  const kept = (blocks ?? []).filter(
    (b): b is KnownBlock =>
      typeof b === 'object' && b !== null && (b as { type?: unknown }).type !== 'actions',
  );
  return [...kept, { type: 'context', elements: [{ type: 'mrkdwn', text: note }] }];
}

/** "Restart" under an alarm (policy confirm, or the loop guard asking a person). */
export function alarmRestart(deps: BotDeps): Handler {
  return guarded(deps, 'restart targets', async ({ body, action, respond }, log) => {
    const value = decodeValue(action.value);
    const target = value === undefined ? undefined : lookupTarget(deps.config, value.target);
    if (
      value === undefined ||
      target === undefined ||
      body.message === undefined ||
      body.channel === undefined
    ) {
      log.warn('slack.refused', { reason: 'unknown-target' });
      await respond(ephemeral('This button names a target that is no longer configured.'));
      return;
    }
    const user = body.user.id;
    const alarm = value.alarm ?? 'alarm';
    const message = { channel: body.channel.id, ts: body.message.ts };
    // A top-level alarm message becomes the progress message; buttons inside a thread (the loop guard asking)
    // get a note instead, and the progress gets a message of its own.
    const inThread = body.message.thread_ts !== undefined && body.message.thread_ts !== body.message.ts;
    // Buttons stay under an alarm nobody answered after its `OK`, and hours later look as urgent as ever. A press on
    // an alarm the bot knows to be over only asks again; when it knows nothing, the person's word stands. Several
    // alarms gathered into one message are not checked: the button names only the first.
    const pressedFor =
      value.alarm === undefined || value.gathered === true
        ? undefined
        : { name: value.alarm, threadTs: body.message.thread_ts ?? body.message.ts };
    if (
      pressedFor !== undefined &&
      (await deps.alarms.isOpen(pressedFor.name, target, pressedFor.threadTs)) === false
    ) {
      log.info('slack.refused', { reason: 'alarm-closed', target: target.name, alarm });
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        ...closedAlarmPrompt(alarm, target, deps.slackSettings.channel),
      } as RespondArguments);
      return;
    }
    const attempt = deps.service.start({
      target,
      trigger: { kind: 'slack', actor: user, detail: `alarm ${alarm}` },
      dryRun: false,
      owner: `slack:${user}`,
      header: `🚨 *${escapeText(alarm)}* on *${escapeText(target.name)}*: restart approved by <@${user}>`,
      ...(inThread ? {} : { message }),
      ...(pressedFor === undefined ? {} : { alarm: pressedFor }),
    });
    if (!attempt.started) {
      await respond(ephemeral(alreadyRunning(target.name, attempt.holder.owner, attempt.holder.startedAt)));
      return;
    }
    log.info('slack.restart-approved', { target: target.name, alarm });
    if (inThread) {
      await deps.slack.update(message, {
        text: body.message.text ?? 'Restart approved',
        blocks: decidedBlocks(
          body.message.blocks,
          `Restart approved by <@${user}> at ${slackDate(Date.now())}.`,
        ),
      });
    }
  });
}

export function alarmIgnore(deps: BotDeps): Handler {
  return guarded(deps, 'answer alarms', async ({ body, action, respond }, log) => {
    const value = decodeValue(action.value);
    if (body.message === undefined || body.channel === undefined) return;
    // Two people answering at once: a Restart pressed first has made this message the recovery's progress, which
    // "Ignored: no restart" must not overwrite. Only this process is asked (on Lambda: a restart this container
    // handed over moments ago), since the answer must not wait for AWS; while the recovery runs, the progress
    // message's next update undoes a late Ignore anyway.
    const running = value === undefined ? undefined : deps.service.running(value.target);
    if (value !== undefined && running !== undefined) {
      log.info('slack.refused', { reason: 'restart-running', target: value.target, holder: running.owner });
      await respond(ephemeral(nothingToIgnore(value.target, running.owner, running.startedAt)));
      return;
    }
    log.info('slack.alarm-ignored', { target: value?.target, alarm: value?.alarm });
    await deps.slack.update(
      { channel: body.channel.id, ts: body.message.ts },
      {
        text: body.message.text ?? 'Alarm ignored',
        blocks: decidedBlocks(
          body.message.blocks,
          `Ignored by <@${body.user.id}> at ${slackDate(Date.now())}: no restart.`,
        ),
      },
    );
  });
}

/** "Restart" in the ephemeral prompt of `/domtory restart`. */
export function restartConfirm(deps: BotDeps): Handler {
  return guarded(deps, 'restart targets', async ({ body, action, respond }, log) => {
    const value = decodeValue(action.value);
    const target = value === undefined ? undefined : lookupTarget(deps.config, value.target);
    if (target === undefined) {
      log.warn('slack.refused', { reason: 'unknown-target' });
      await respond(ephemeral('This button names a target that is no longer configured.'));
      return;
    }
    const user = body.user.id;
    const attempt = deps.service.start({
      target,
      trigger: { kind: 'slack', actor: user, detail: '/domtory restart' },
      dryRun: false,
      owner: `slack:${user}`,
      header: `🔁 *Restart* of *${escapeText(target.name)}* requested by <@${user}>`,
    });
    if (!attempt.started) {
      await respond({
        replace_original: true,
        text: alreadyRunning(target.name, attempt.holder.owner, attempt.holder.startedAt),
      });
      return;
    }
    log.info('slack.restart-confirmed', { target: target.name });
    await respond({
      replace_original: true,
      text: `Restart of *${escapeText(target.name)}* started: progress in <#${deps.slackSettings.channel}>.`,
    });
  });
}

export function restartCancel(deps: BotDeps): Handler {
  return async ({ ack, respond, body }) => {
    await ack();
    deps.logger.info('slack.restart-cancelled', { user: body.user.id });
    await respond({ delete_original: true }).catch((error: unknown) =>
      deps.logger.warn('slack.call-failed', { method: 'respond', error }),
    );
  };
}
