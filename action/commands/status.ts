import { alarmsOnInstanceCpu, describeAlarmsByName } from '../../shared/alarm/alarm-provisioner.js';
import { alarmName, managedAlarmNames } from '../../shared/alarm/alarm-spec.js';
import type { Target } from '../../shared/config/schema.js';
import { summarizeError } from '../../shared/errors.js';
import type { InstanceDescription } from '../../shared/ports.js';
import type { LockInfo } from '../../shared/recovery/events.js';
import { type HistoryEntry, readHistory } from '../../shared/state/history.js';
import { isLockExpired, readLock } from '../../shared/state/lock.js';
import type { StatusInputs } from '../inputs.js';
import { escapeHtml, seconds, table } from '../render/markdown.js';
import { type CommandReport, type CommandTools, withFix } from '../report.js';

type MetricAlarm = Awaited<ReturnType<typeof alarmsOnInstanceCpu>>[number];

/** How many recoveries the status shows per target; the history keeps up to 20. */
const RECENT = 5;

type Section<T> = { ok: true; value: T } | { ok: false; error: string };

export interface AlarmStatus {
  name: string;
  state: string;
  reason: string;
  since?: string;
  managed: boolean;
}

export interface TargetStatus {
  target: string;
  instanceId: string;
  region: string;
  instance: Section<InstanceDescription | undefined>;
  alarms: Section<AlarmStatus[]>;
  lock: Section<(LockInfo & { expired: boolean }) | undefined>;
  history: Section<HistoryEntry[]>;
}

async function section<T>(read: () => Promise<T>): Promise<Section<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    const summary = summarizeError(error);
    return { ok: false, error: withFix(summary.message, summary.fix, ' ') };
  }
}

/** `status`: instance state, alarm states, the lock and the last recoveries, for each target. Changes nothing. */
export async function status(inputs: StatusInputs, tools: CommandTools): Promise<CommandReport> {
  const statuses = await Promise.all(inputs.targets.map((target) => targetStatus(target, inputs, tools)));
  const { log } = tools;
  for (const entry of statuses) {
    log.startGroup(`${entry.target} (${entry.instanceId}, ${entry.region})`);
    for (const line of statusLines(entry)) log.info(line);
    log.endGroup();
  }
  const problems = statuses.flatMap((entry) => [
    ...(['instance', 'alarms', 'lock', 'history'] as const).flatMap((key) => {
      const part = entry[key];
      return part.ok ? [] : [`${entry.target} ${key}: ${part.error}`];
    }),
    ...(entry.instance.ok && entry.instance.value === undefined
      ? [`${entry.target}: instance ${entry.instanceId} does not exist in ${entry.region}`]
      : []),
  ]);

  const outputs: Record<string, string> = {
    outcome: problems.length === 0 ? 'ok' : 'incomplete',
    status: JSON.stringify(statuses),
  };
  const [only] = statuses;
  if (statuses.length === 1 && only !== undefined) {
    outputs['instance-state'] = only.instance.ok ? (only.instance.value?.state ?? 'not-found') : 'unknown';
    const cpu = only.alarms.ok
      ? only.alarms.value.find((alarm) => alarm.name === alarmName(only.target, 'cpu'))
      : undefined;
    outputs['alarm-state'] = cpu?.state ?? '';
    outputs['lock-held'] = String(only.lock.ok && only.lock.value !== undefined && !only.lock.value.expired);
    outputs['last-outcome'] = only.history.ok ? (only.history.value[0]?.outcome ?? '') : '';
  }
  const report: CommandReport = {
    ok: problems.length === 0,
    outputs,
    summary: statusSummary(statuses),
  };
  if (problems.length > 0) report.failure = `Status is incomplete:\n${problems.join('\n')}`;
  return report;
}

async function targetStatus(
  target: Target,
  inputs: StatusInputs,
  tools: CommandTools,
): Promise<TargetStatus> {
  const ports = tools.aws.ports(target.region);
  const clients = tools.aws.clients(target.region);
  const now = Date.now();
  const [instance, alarms, lock, history] = await Promise.all([
    section(() => ports.ec2.describeInstance(target.instanceId)),
    section(async () => {
      const [managed, onCpu] = await Promise.all([
        describeAlarmsByName(clients, managedAlarmNames(target.name)),
        alarmsOnInstanceCpu(clients, target.instanceId),
      ]);
      const all = new Map<string, MetricAlarm>(managed);
      for (const alarm of onCpu) if (alarm.AlarmName !== undefined) all.set(alarm.AlarmName, alarm);
      const names = new Set(managedAlarmNames(target.name));
      return [...all.values()].map((alarm): AlarmStatus => {
        const entry: AlarmStatus = {
          name: alarm.AlarmName ?? '',
          state: alarm.StateValue ?? 'unknown',
          reason: alarm.StateReason ?? '',
          managed: names.has(alarm.AlarmName ?? ''),
        };
        if (alarm.StateUpdatedTimestamp !== undefined)
          entry.since = alarm.StateUpdatedTimestamp.toISOString();
        return entry;
      });
    }),
    section(async () => {
      const held = await readLock(ports.parameters, inputs.parameterPrefix, target.instanceId);
      return held === undefined ? undefined : { ...held, expired: isLockExpired(held, now) };
    }),
    section(async () =>
      (await readHistory(ports.parameters, inputs.parameterPrefix, target.instanceId)).slice(0, RECENT),
    ),
  ]);
  return {
    target: target.name,
    instanceId: target.instanceId,
    region: target.region,
    instance,
    alarms,
    lock,
    history,
  };
}

function instanceLine(part: TargetStatus['instance'], entry: TargetStatus): string {
  if (!part.ok) return `unavailable: ${part.error}`;
  if (part.value === undefined) return `not found in ${entry.region}`;
  const { state, instanceType, availabilityZone, launchTime } = part.value;
  return `${state}, ${instanceType}${availabilityZone === undefined ? '' : ` in ${availabilityZone}`}${launchTime === undefined ? '' : `, launched ${launchTime.toISOString()}`}`;
}

function lockLine(part: TargetStatus['lock']): string {
  if (!part.ok) return `unavailable: ${part.error}`;
  if (part.value === undefined) return 'free';
  const lock = part.value;
  return `${lock.expired ? 'expired (the next recovery takes it over)' : 'held'} by ${lock.owner} (${lock.trigger}) since ${lock.acquiredAt}, expires ${lock.expiresAt}`;
}

function historyLine(entry: HistoryEntry): string {
  return `${entry.startedAt} ${entry.outcome} in ${seconds(entry.durationMs)} (${entry.trigger} ${entry.actor})${entry.newBootSeen ? ', new boot' : ''}${entry.escalated ? ', escalated' : ''}${entry.error === undefined ? '' : `, ${entry.error}`}`;
}

function statusLines(entry: TargetStatus): string[] {
  const lines = [`Instance: ${instanceLine(entry.instance, entry)}`];
  if (!entry.alarms.ok) lines.push(`Alarms: unavailable: ${entry.alarms.error}`);
  else if (entry.alarms.value.length === 0) lines.push('Alarms: none (run the provision command)');
  else {
    for (const alarm of entry.alarms.value) {
      lines.push(
        `Alarm ${alarm.name}: ${alarm.state}${alarm.managed ? '' : ' (not managed here)'}${alarm.reason === '' ? '' : ` — ${alarm.reason}`}`,
      );
    }
  }
  lines.push(`Lock: ${lockLine(entry.lock)}`);
  if (!entry.history.ok) lines.push(`Recent recoveries: unavailable: ${entry.history.error}`);
  else if (entry.history.value.length === 0) lines.push('Recent recoveries: none recorded');
  else {
    lines.push('Recent recoveries:');
    for (const item of entry.history.value) lines.push(`  ${historyLine(item)}`);
  }
  return lines;
}

function statusSummary(statuses: readonly TargetStatus[]): string {
  const parts = ['## Status'];
  for (const entry of statuses) {
    parts.push(`### ${escapeHtml(entry.target)} (\`${entry.instanceId}\`, ${entry.region})`);
    parts.push(
      table(
        ['', ''],
        [
          ['Instance', instanceLine(entry.instance, entry)],
          ['Lock', lockLine(entry.lock)],
        ],
      ),
    );
    if (!entry.alarms.ok) parts.push(`Alarms unavailable: ${escapeHtml(entry.alarms.error)}`);
    else if (entry.alarms.value.length > 0) {
      parts.push(
        table(
          ['Alarm', 'State', 'Since', 'Reason'],
          entry.alarms.value.map((alarm) => [
            `${alarm.name}${alarm.managed ? '' : ' (not managed here)'}`,
            alarm.state,
            alarm.since ?? '',
            alarm.reason,
          ]),
        ),
      );
    } else parts.push('No alarms: run the provision command.');
    if (!entry.history.ok) parts.push(`History unavailable: ${escapeHtml(entry.history.error)}`);
    else if (entry.history.value.length > 0) {
      parts.push(
        table(
          ['Started', 'Outcome', 'Duration', 'Trigger', 'New boot', 'Escalated', 'Error'],
          entry.history.value.map((item) => [
            item.startedAt,
            item.outcome,
            seconds(item.durationMs),
            `${item.trigger} ${item.actor}`,
            item.newBootSeen ? 'yes' : 'no',
            item.escalated ? 'yes' : 'no',
            item.error ?? '',
          ]),
        ),
      );
    } else parts.push('No recoveries recorded.');
  }
  return `${parts.join('\n\n')}\n`;
}
