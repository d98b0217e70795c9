import type { KnownBlock } from '@slack/types';
import {
  checkGuard,
  type HistoryEntry,
  type InstanceDescription,
  type LockInfo,
  type RecoveryPolicy,
  type Target,
} from '../../shared/index.js';
import type { CloudWatchAlarm } from '../alarms/cloudwatch-alarm.js';
import type { SlackMessage } from '../progress/progress-view.js';
import { context, describeOwner, escapeText, formatElapsed, section, slackDate, truncate } from './format.js';
import { ACTION, encodeValue } from './ids.js';

/** Every message the bot writes besides progress: alarms, prompts, refusals, status, history, help. */

export function alarmHeadline(alarm: CloudWatchAlarm, target: Target): string {
  return `🚨 *ALARM* · *${escapeText(alarm.alarmName)}* on *${escapeText(target.name)}* (\`${target.instanceId}\`)`;
}

function alarmContext(alarm: CloudWatchAlarm, policy: RecoveryPolicy): string {
  const parts: string[] = [];
  if (alarm.metric !== undefined) parts.push(escapeText(alarm.metric));
  if (alarm.changedAt !== undefined) parts.push(slackDate(alarm.changedAt));
  parts.push(`policy *${policy}*`);
  return parts.join(' · ');
}

export interface AlarmMessageOptions {
  alarm: CloudWatchAlarm;
  target: Target;
  /** What the bot does about it, one line. */
  note: string;
  /** Restart / Ignore buttons for a person to decide. */
  ask: boolean;
  /** Replaces the buttons once someone decided. */
  decided?: string;
}

export function alarmMessage(options: AlarmMessageOptions): SlackMessage {
  const { alarm, target } = options;
  const blocks: KnownBlock[] = [section(alarmHeadline(alarm, target))];
  if (alarm.reason !== '') blocks.push(section(`> ${escapeText(truncate(alarm.reason, 600))}`));
  blocks.push(context(alarmContext(alarm, target.policy)));
  blocks.push(section(options.note));
  if (options.ask && options.decided === undefined) blocks.push(alarmButtons(target, alarm.alarmName));
  if (options.decided !== undefined) blocks.push(context(options.decided));
  return { text: `ALARM ${alarm.alarmName} on ${target.name}: ${truncate(alarm.reason, 200)}`, blocks };
}

export interface AlarmDigestOptions {
  /** The alarms to name, one per name. */
  alarms: readonly CloudWatchAlarm[];
  /** The notifications the digest stands for (an alarm may have sent several). */
  count: number;
  /** Some alarms' names did not fit. */
  othersUnnamed: boolean;
  target: Target;
  note: string;
  ask: boolean;
  firstAt?: number | undefined;
  lastAt?: number | undefined;
}

/** Several alarms of one target gathered into one message, because the channel took no more just then. */
export function alarmDigestMessage(options: AlarmDigestOptions): SlackMessage {
  const { alarms, count, target } = options;
  const names = alarms.map((a) => a.alarmName);
  const others = options.othersUnnamed ? ' and others' : '';
  const listed = `${names.map((n) => `*${escapeText(n)}*`).join(', ')}${others}`;
  const span = [options.firstAt, options.lastAt].filter((t): t is number => t !== undefined).map(slackDate);
  const blocks: KnownBlock[] = [
    section(`🚨 *${count} ALARMs* on *${escapeText(target.name)}* (\`${target.instanceId}\`): ${listed}`),
    context(
      [
        ...(span.length === 0 ? [] : [span[0] === span.at(-1) ? span[0] : `${span[0]} to ${span.at(-1)}`]),
        `policy *${target.policy}*`,
        'gathered into one message: Slack takes about one a second per channel',
      ].join(' · '),
    ),
    section(options.note),
  ];
  const first = alarms[0];
  if (options.ask && first !== undefined)
    blocks.push(alarmButtons(target, first.alarmName, new Set(names).size > 1 || options.othersUnnamed));
  return {
    text: truncate(`${count} ALARMs on ${target.name}: ${names.join(', ')}${others}`, 300),
    blocks,
  };
}

function alarmButtons(target: Target, alarmName: string, gathered = false): KnownBlock {
  const value = encodeValue({ target: target.name, alarm: alarmName, ...(gathered ? { gathered } : {}) });
  return {
    type: 'actions',
    block_id: 'domtory_alarm_actions',
    elements: [
      {
        type: 'button',
        action_id: ACTION.alarmRestart,
        style: 'danger',
        text: { type: 'plain_text', text: truncate(`Restart ${target.name}`, 75) },
        value,
        confirm: {
          title: { type: 'plain_text', text: 'Restart the instance?' },
          text: {
            type: 'mrkdwn',
            text: truncate(
              `This reboots *${escapeText(target.name)}* (\`${target.instanceId}\`): the app is down until it is back.`,
              300,
            ),
          },
          confirm: { type: 'plain_text', text: 'Restart' },
          deny: { type: 'plain_text', text: 'Not now' },
        },
      },
      {
        type: 'button',
        action_id: ACTION.alarmIgnore,
        text: { type: 'plain_text', text: 'Ignore' },
        value,
      },
    ],
  };
}

export function resolvedMessage(alarm: CloudWatchAlarm, target: Target): SlackMessage {
  const when = alarm.changedAt === undefined ? '' : ` at ${slackDate(alarm.changedAt)}`;
  const text = `✅ *Resolved* · *${escapeText(alarm.alarmName)}* on *${escapeText(target.name)}* is OK again${when}.`;
  const blocks: KnownBlock[] = [section(text)];
  if (alarm.reason !== '') blocks.push(context(escapeText(truncate(alarm.reason, 600))));
  return { text: `Resolved: ${alarm.alarmName} on ${target.name} is OK again`, blocks };
}

export function restartPrompt(target: Target, channel: string): SlackMessage {
  const value = encodeValue({ target: target.name });
  const what =
    `Restart *${escapeText(target.name)}* (\`${target.instanceId}\`, ${target.region})? ` +
    `This reboots the instance, waits for a new boot, then runs \`docker compose up -d\` in \`${target.compose.directory}\`. ` +
    `Progress goes to <#${channel}>.`;
  return {
    text: `Restart ${target.name}?`,
    blocks: [
      section(what),
      {
        type: 'actions',
        block_id: 'domtory_restart_actions',
        elements: [
          {
            type: 'button',
            action_id: ACTION.restartConfirm,
            style: 'danger',
            text: { type: 'plain_text', text: truncate(`Restart ${target.name}`, 75) },
            value,
          },
          {
            type: 'button',
            action_id: ACTION.restartCancel,
            text: { type: 'plain_text', text: 'Cancel' },
            value,
          },
        ],
      },
    ],
  };
}

/**
 * A Restart pressed under an alarm that is over (its `OK` came) or whose message is no longer its latest: nothing
 * happens on that press, and the ordinary confirmation is offered instead, so a button left under a resolved alarm
 * cannot reboot a healthy instance by itself.
 */
export function closedAlarmPrompt(alarmName: string, target: Target, channel: string): SlackMessage {
  const prompt = restartPrompt(target, channel);
  const why =
    `⚠️ *${escapeText(alarmName)}* on *${escapeText(target.name)}* is no longer open under this message: ` +
    'it has returned to OK since, or a newer message of it took its place. Nothing was restarted.';
  return {
    text: `Nothing was restarted: ${alarmName} is no longer open`,
    blocks: [section(why), ...(prompt.blocks ?? [])],
  };
}

/**
 * The same refusal where the press was handed to a worker (Lambda), which cannot answer the person alone: it is
 * said in the alarm's thread instead.
 */
export function closedAlarmNote(alarmName: string, target: string, user: string): string {
  return `⚠️ <@${user}> pressed Restart under *${escapeText(alarmName)}* on *${escapeText(target)}* after the alarm was over (it returned to OK, or fired again in a newer message): nothing was restarted. \`/domtory restart ${escapeText(target)}\` restarts it if it is still needed.`;
}

/** "A recovery is already running", naming who started it and when. */
export function alreadyRunning(target: string, owner: string, since: number): string {
  return `${runningSince(target, owner, since)} Its progress is in the channel; try again when it has finished.`;
}

/** An Ignore pressed while a restart of the target runs: the decision is already made, and its message is the progress. */
export function nothingToIgnore(target: string, owner: string, since: number): string {
  return `${runningSince(target, owner, since)} Nothing to ignore: its progress is in the channel.`;
}

/** The same for a lock another process holds: its progress may not be in this channel, but its lock expires. */
export function lockHeld(target: string, lock: LockInfo): string {
  return `${runningSince(target, lock.owner, Date.parse(lock.acquiredAt))} Its lock expires at ${slackDate(Date.parse(lock.expiresAt))} at the latest.`;
}

function runningSince(target: string, owner: string, since: number): string {
  return `A recovery of *${escapeText(target)}* is already running: started by ${describeOwner(owner)} at ${slackDate(since)}.`;
}

export function notAllowedUser(allowed: readonly string[], action: string): string {
  const who =
    allowed.length === 0
      ? 'Nobody may do that from Slack yet: the `slack.allowedUsers` list of the bot config is empty.'
      : `Only ${allowed.map((u) => `<@${u}>`).join(', ')} may do that (\`slack.allowedUsers\` in the bot config).`;
  return `⛔ You are not allowed to ${action}. ${who}`;
}

export function notAllowedChannel(allowed: readonly string[]): string {
  return `⛔ \`/domtory\` is not enabled in this channel. Use it in ${allowed.map((c) => `<#${c}>`).join(', ')}.`;
}

export function unknownTarget(name: string, known: readonly string[]): string {
  return `Unknown target \`${escapeText(truncate(name, 64))}\`. Configured targets: ${known.map((t) => `\`${t}\``).join(', ')}.`;
}

export function whichTarget(subcommand: string, known: readonly string[]): string {
  return `Which target? \`/domtory ${subcommand} <target>\` with one of: ${known.map((t) => `\`${t}\``).join(', ')}.`;
}

export const HELP_TEXT = [
  '*/domtory* brings a hung EC2 instance and its docker compose app back.',
  '• `/domtory restart [target]`: reboot, wait for a real new boot, `docker compose up -d`, verify (asks to confirm first)',
  '• `/domtory drill [target]`: the whole chain as a dry run (EC2 `DryRun=true`, SSM reachability only); nothing is changed',
  '• `/domtory status [target]`: instance state, running recovery, cooldown and loop guard',
  '• `/domtory history [target]`: the latest recoveries and how they ended',
  '• `/domtory help`: this text',
  'The target can be left out when only one is configured. Restart and drill are for the users in `slack.allowedUsers`.',
].join('\n');

export interface TargetStatus {
  target: Target;
  instance?: InstanceDescription | undefined;
  instanceError?: string;
  lock?: LockInfo | undefined;
  history?: HistoryEntry[];
  stateError?: string;
  running?: { owner: string; startedAt: number };
  now: number;
}

export function statusBlock(status: TargetStatus): string {
  const { target } = status;
  const lines = [
    `*${escapeText(target.name)}* · \`${target.instanceId}\` · ${target.region} · policy *${target.policy}*`,
  ];
  if (status.instanceError !== undefined)
    lines.push(`Instance: ⚠️ ${escapeText(truncate(status.instanceError, 200))}`);
  else if (status.instance === undefined) lines.push('Instance: ⚠️ EC2 does not know this instance id');
  else lines.push(`Instance: *${status.instance.state}* (${escapeText(status.instance.instanceType)})`);
  // This process's own run first: it is known even when the lock could not be read.
  const holder =
    status.running ??
    (status.lock === undefined
      ? undefined
      : { owner: status.lock.owner, startedAt: Date.parse(status.lock.acquiredAt) });
  if (holder !== undefined) {
    lines.push(
      `Recovery: ⏳ running, started by ${describeOwner(holder.owner)} at ${slackDate(holder.startedAt)}`,
    );
  } else if (status.stateError === undefined) {
    lines.push('Recovery: none running');
  }
  if (status.stateError !== undefined) lines.push(`State: ⚠️ ${escapeText(truncate(status.stateError, 200))}`);
  if (status.history !== undefined) {
    const last = status.history[0];
    lines.push(last === undefined ? 'Last recovery: none recorded' : `Last recovery: ${historyLine(last)}`);
    const guard = checkGuard(status.history, status.now, target.guard);
    lines.push(
      guard.allowed
        ? `Automatic recoveries: allowed (cooldown ${target.guard.cooldownMinutes} min, at most ${target.guard.maxAutomaticRecoveries} in ${target.guard.windowHours} h)`
        : `Automatic recoveries: ⛔ paused: ${escapeText(guard.message)}; again from ${slackDate(Date.parse(guard.retryAfter))}`,
    );
  }
  return lines.join('\n');
}

const OUTCOME_ICON: Record<HistoryEntry['outcome'], string> = {
  recovered: '✅',
  failed: '❌',
  refused: '🚫',
  rehearsed: '🎭',
};

export function historyLine(entry: HistoryEntry): string {
  const who =
    entry.trigger === 'slack'
      ? describeOwner(`slack:${entry.actor}`)
      : `${entry.trigger} ${escapeText(entry.actor)}`;
  const extra = [
    entry.escalated ? 'stop/start' : '',
    entry.error === undefined ? '' : `\`${entry.error}\``,
  ].filter(Boolean);
  return `${OUTCOME_ICON[entry.outcome]} ${entry.outcome} ${slackDate(Date.parse(entry.startedAt))} by ${who}, ${formatElapsed(entry.durationMs)}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`;
}

export function historyText(target: Target, entries: readonly HistoryEntry[], limit = 10): string {
  if (entries.length === 0) return `*${escapeText(target.name)}*: no recoveries recorded yet.`;
  const shown = entries.slice(0, limit).map((e) => `• ${historyLine(e)}`);
  const more = entries.length > limit ? `\n_${entries.length - limit} older entries not shown_` : '';
  return `*${escapeText(target.name)}*: the latest ${shown.length} of ${entries.length} recoveries\n${shown.join('\n')}${more}`;
}
