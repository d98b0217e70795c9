import type { RespondArguments } from '@slack/bolt';
import { isLockExpired, readHistory, readLock, type Target } from '../../shared/index.js';
import { lookupTarget, targetNames } from '../config/targets.js';
import type { BotDeps } from '../deps.js';
import { channelAllowed, userMayAct } from '../slack/authorization.js';
import { escapeText } from '../slack/format.js';
import {
  alreadyRunning,
  HELP_TEXT,
  historyText,
  lockHeld,
  notAllowedChannel,
  notAllowedUser,
  restartPrompt,
  statusBlock,
  unknownTarget,
  whichTarget,
} from '../slack/messages.js';
import { type ParsedCommand, parseCommand } from './parse-command.js';
import { gatherStatus } from './target-status.js';

/** The part of Bolt's slash-command arguments the listener uses; a test passes exactly this. */
export interface CommandArgs {
  command: { text: string; user_id: string; channel_id: string; command?: string; response_url?: string };
  ack: (response?: string | RespondArguments) => Promise<void>;
  respond: (message: string | RespondArguments) => Promise<unknown>;
}

type Reply = RespondArguments;

const ephemeral = (text: string, extra: Partial<RespondArguments> = {}): Reply =>
  ({ response_type: 'ephemeral', text, ...extra }) as Reply;

interface Plan {
  /** Sent with the ack itself, inside Slack's 3 seconds. */
  ack?: Reply;
  /** Work after the ack; its answer goes through `respond` (the response_url). */
  after?: (respond: CommandArgs['respond']) => Promise<void>;
  /** The work only reads and answers through `respond`, so it may run elsewhere (`deps.deferCommand`). */
  deferrable?: boolean;
  /**
   * The work starts something (a drill's hand-off): it belongs to the invocation that acknowledged it and is
   * never run from a deferred command.
   */
  starts?: boolean;
}

/** A command whose ack has been sent, as another invocation needs it to do the rest and answer. */
export interface DeferredCommand {
  text: string;
  userId: string;
  channelId: string;
  responseUrl: string;
}

/**
 * Runs a command's work after its ack. Without one (server, Socket Mode) the listener runs it right there; on
 * Lambda, Bolt answers only once the listener returns, so the work is handed to another invocation instead.
 * `work` is the same work in this process, for a deferral that cannot hand it over.
 */
export type DeferCommand = (command: DeferredCommand, work: () => Promise<void>) => Promise<void>;

const WENT_WRONG = 'Something went wrong on the bot side; the error is in its log.';
const BUSY = 'The bot has too much to do right now; try again in a minute.';

/**
 * `/domtory …`. The listener decides synchronously what the ack says (refusals and help need no I/O), acks
 * before any await, and only then does the slow part (AWS reads) and answers through `respond`.
 */
export function domtoryCommand(deps: BotDeps) {
  return async ({ command, ack, respond }: CommandArgs): Promise<void> => {
    let plan: Plan;
    try {
      plan = planCommand(deps, command, 'slack.command');
    } catch (error) {
      deps.logger.error('slack.command-failed', { error });
      plan = { ack: ephemeral(WENT_WRONG) };
    }
    await ack(plan.ack);
    const { after } = plan;
    if (after === undefined) return;
    const work = () => runAfter(deps, command.user_id, after, respond);
    if (plan.deferrable === true && deps.deferCommand !== undefined && command.response_url !== undefined) {
      await deps.deferCommand(
        {
          text: command.text,
          userId: command.user_id,
          channelId: command.channel_id,
          responseUrl: command.response_url,
        },
        work,
      );
      return;
    }
    if (deps.work !== undefined) {
      // Acks first: the reply's reads and its Slack call wait behind requests that are still to be answered,
      // in the same bounded queue as the alarm intake.
      if (!deps.work.admit()) {
        await respond(ephemeral(BUSY)).catch(() => {});
        return;
      }
      deps.work.schedule('slack.command', work);
      return;
    }
    await work();
  };
}

/**
 * The other half of a deferred command, where it was handed to. The command is planned again from its text,
 * user and channel against this process's own config (the same checks, the same answer) and its work is run;
 * should it now be refused, the refusal is the answer.
 */
export async function answerDeferredCommand(
  deps: BotDeps,
  command: DeferredCommand,
  respond: CommandArgs['respond'],
): Promise<void> {
  let plan: Plan;
  try {
    plan = planCommand(
      deps,
      { text: command.text, user_id: command.userId, channel_id: command.channelId },
      'slack.command-resumed',
    );
  } catch (error) {
    deps.logger.error('slack.command-failed', { error });
    plan = { ack: ephemeral(WENT_WRONG) };
  }
  if (plan.starts === true) {
    // Never deferred by `domtoryCommand`; only a hand-made event gets here, and it starts nothing.
    deps.logger.warn('slack.refused', { user: command.userId, reason: 'not-deferrable' });
    return;
  }
  if (plan.ack !== undefined) await respond(plan.ack);
  if (plan.after !== undefined) await runAfter(deps, command.userId, plan.after, respond);
}

async function runAfter(
  deps: BotDeps,
  user: string,
  after: NonNullable<Plan['after']>,
  respond: CommandArgs['respond'],
): Promise<void> {
  try {
    await after(respond);
  } catch (error) {
    deps.logger.error('slack.command-failed', { user, error });
    await respond(ephemeral(WENT_WRONG)).catch(() => {});
  }
}

function planCommand(
  deps: BotDeps,
  command: Pick<CommandArgs['command'], 'text' | 'user_id' | 'channel_id'>,
  event: 'slack.command' | 'slack.command-resumed',
): Plan {
  const { config, slackSettings, logger } = deps;
  const parsed = parseCommand(command.text);
  const log = logger.child({ user: command.user_id, channel: command.channel_id, subcommand: parsed.kind });
  log.info(event, 'target' in parsed && parsed.target !== undefined ? { target: parsed.target } : {});

  if (parsed.kind === 'help') return { ack: ephemeral(HELP_TEXT) };
  if (parsed.kind === 'invalid') {
    log.info('slack.refused', { reason: 'invalid-command' });
    return { ack: ephemeral(`${parsed.problem}\n\n${HELP_TEXT}`) };
  }
  if (!channelAllowed(slackSettings, command.channel_id)) {
    log.warn('slack.refused', { reason: 'channel-not-allowed' });
    return {
      ack: ephemeral(notAllowedChannel([slackSettings.channel, ...(slackSettings.allowedChannels ?? [])])),
    };
  }
  const acting = parsed.kind === 'restart' || parsed.kind === 'drill';
  if (acting && !userMayAct(slackSettings, command.user_id)) {
    log.warn('slack.refused', { reason: 'user-not-allowed' });
    return { ack: ephemeral(notAllowedUser(slackSettings.allowedUsers, `${parsed.kind} targets`)) };
  }
  const chosen = chooseTargets(deps, parsed);
  if ('refusal' in chosen) {
    log.info('slack.refused', { reason: chosen.reason });
    return { ack: ephemeral(chosen.refusal) };
  }
  const targets = chosen.targets;

  switch (parsed.kind) {
    case 'status':
      return {
        deferrable: true,
        after: async (respond) => {
          const statuses = await Promise.all(targets.map((t) => gatherStatus(deps.service, t)));
          await respond(ephemeral(statuses.map(statusBlock).join('\n\n')));
        },
      };
    case 'history':
      return {
        deferrable: true,
        after: async (respond) => {
          const texts = await Promise.all(
            targets.map(async (t) => {
              const ports = await deps.service.ports.portsFor(t);
              return historyText(
                t,
                await readHistory(ports.parameters, config.parameterPrefix, t.instanceId),
              );
            }),
          );
          await respond(ephemeral(texts.join('\n\n')));
        },
      };
    case 'restart': {
      const target = targets[0] as Target;
      // What this process runs (or handed over moments ago) is known here without I/O, and only here: this answer
      // is never deferred.
      const running = deps.service.running(target.name);
      if (running !== undefined) {
        log.info('slack.refused', { reason: 'already-running', target: target.name, holder: running.owner });
        return {
          after: async (respond) => {
            await respond(ephemeral(alreadyRunning(target.name, running.owner, running.startedAt)));
          },
        };
      }
      return {
        deferrable: true,
        after: async (respond) => {
          // Another process (the GitHub Action, a second bot) may hold the lock: say so before asking.
          const ports = await deps.service.ports.portsFor(target);
          const lock = await readLock(ports.parameters, config.parameterPrefix, target.instanceId);
          if (lock !== undefined && !isLockExpired(lock, ports.clock.now())) {
            log.info('slack.refused', { reason: 'lock-held', target: target.name, holder: lock.owner });
            await respond(ephemeral(lockHeld(target.name, lock)));
            return;
          }
          log.info('slack.restart-prompted', { target: target.name });
          const prompt = restartPrompt(target, slackSettings.channel);
          await respond(ephemeral(prompt.text, prompt.blocks === undefined ? {} : { blocks: prompt.blocks }));
        },
      };
    }
    case 'drill': {
      const target = targets[0] as Target;
      const busy = deps.service.running(target.name, true);
      if (busy !== undefined) {
        log.info('slack.refused', { reason: 'drill-running', target: target.name, holder: busy.owner });
        return { ack: ephemeral(alreadyRunning(target.name, busy.owner, busy.startedAt)) };
      }
      return {
        starts: true,
        ack: ephemeral(
          `Drill of *${escapeText(target.name)}* starting: progress in <#${slackSettings.channel}>.`,
        ),
        after: async (respond) => {
          const attempt = deps.service.start({
            target,
            trigger: { kind: 'slack', actor: command.user_id, detail: 'drill' },
            dryRun: true,
            owner: `slack:${command.user_id}`,
            header: `🎭 *Drill* of *${escapeText(target.name)}* by <@${command.user_id}>: a dry run, nothing is changed`,
          });
          if (!attempt.started) {
            await respond(
              ephemeral(alreadyRunning(target.name, attempt.holder.owner, attempt.holder.startedAt)),
            );
          }
        },
      };
    }
  }
}

function chooseTargets(
  deps: BotDeps,
  parsed: Extract<ParsedCommand, { target?: string }>,
): { targets: Target[] } | { refusal: string; reason: string } {
  const names = targetNames(deps.config);
  if (parsed.target !== undefined) {
    const target = lookupTarget(deps.config, parsed.target);
    return target === undefined
      ? { refusal: unknownTarget(parsed.target, names), reason: 'unknown-target' }
      : { targets: [target] };
  }
  const all = names.map((n) => lookupTarget(deps.config, n)).filter((t): t is Target => t !== undefined);
  // Restart and drill act on one target: without a name, only when there is just one.
  if (parsed.kind === 'status' || parsed.kind === 'history' || all.length === 1) {
    return all.length === 0
      ? { refusal: 'No target is configured.', reason: 'no-targets' }
      : { targets: all };
  }
  return { refusal: whichTarget(parsed.kind, names), reason: 'target-needed' };
}
