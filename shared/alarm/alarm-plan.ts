import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { AlarmRole, AlarmSpec, DesiredAlarm } from './alarm-spec.js';

/**
 * The diff between the alarms a target should have and the ones CloudWatch describes, as a plan a person can
 * read before anything changes. Pure: the applier describes, calls `planAlarms`, prints, then acts on the plan.
 *
 * `PutMetricAlarm` replaces an alarm's whole definition, so an update sends the full desired spec; the field
 * list of a change is for the reader, and for deciding that nothing needs sending at all.
 */

export interface FieldChange {
  field: string;
  from: string;
  to: string;
}

export type PlanItem =
  | { kind: 'create-alarm'; target: string; role: AlarmRole; spec: AlarmSpec }
  | { kind: 'update-alarm'; target: string; role: AlarmRole; spec: AlarmSpec; changes: FieldChange[] }
  | { kind: 'alarm-unchanged'; target: string; role: AlarmRole; name: string; state?: string }
  | { kind: 'delete-alarm'; target: string; name: string; reason: string }
  | { kind: 'create-topic'; topicArn: string }
  | { kind: 'topic-unchanged'; topicArn: string }
  | { kind: 'subscribe'; topicArn: string; endpoint: string }
  | { kind: 'subscription-unchanged'; topicArn: string; endpoint: string; pending: boolean };

export type PlanChange = Extract<
  PlanItem,
  { kind: 'create-alarm' | 'update-alarm' | 'delete-alarm' | 'create-topic' | 'subscribe' }
>;

export function isChange(item: PlanItem): item is PlanChange {
  return (
    item.kind === 'create-alarm' ||
    item.kind === 'update-alarm' ||
    item.kind === 'delete-alarm' ||
    item.kind === 'create-topic' ||
    item.kind === 'subscribe'
  );
}

/** One target's desired alarms and the managed names that must not exist, with what CloudWatch holds. */
export interface TargetAlarms {
  target: string;
  alarms: DesiredAlarm[];
  retired: string[];
  /** Why retired alarms go away, for the plan. */
  retiredReason: string;
}

export function planAlarms(targets: readonly TargetAlarms[], described: ReadonlyMap<string, MetricAlarm>) {
  const plan: PlanItem[] = [];
  for (const target of targets) {
    for (const { role, spec } of target.alarms) {
      const existing = described.get(spec.AlarmName);
      if (existing === undefined) {
        plan.push({ kind: 'create-alarm', target: target.target, role, spec });
        continue;
      }
      const changes = diffAlarm(spec, existing);
      if (changes.length === 0) {
        const item: PlanItem = { kind: 'alarm-unchanged', target: target.target, role, name: spec.AlarmName };
        if (existing.StateValue !== undefined) item.state = existing.StateValue;
        plan.push(item);
      } else {
        plan.push({ kind: 'update-alarm', target: target.target, role, spec, changes });
      }
    }
    for (const name of target.retired) {
      if (described.has(name)) {
        plan.push({ kind: 'delete-alarm', target: target.target, name, reason: target.retiredReason });
      }
    }
  }
  return plan;
}

const sorted = (values: readonly string[] | undefined): string[] => [...(values ?? [])].sort();

function show(value: unknown): string {
  if (value === undefined) return '(none)';
  if (Array.isArray(value)) return `[${value.map((entry) => show(entry)).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .map(([key, entry]) => `${key}=${show(entry)}`)
      .join(',');
  }
  return typeof value === 'string' ? value : String(value);
}

/**
 * Field by field, with CloudWatch's own defaults filled in on the described side (an absent
 * `DatapointsToAlarm` means "all evaluation periods", an absent `TreatMissingData` means `missing`), and
 * lists compared as sets: CloudWatch does not promise to return actions in the order they were sent.
 */
export function diffAlarm(spec: AlarmSpec, described: MetricAlarm): FieldChange[] {
  const changes: FieldChange[] = [];
  const compare = (field: string, want: unknown, have: unknown) => {
    const to = show(want);
    const from = show(have);
    if (to !== from) changes.push({ field, from, to });
  };
  compare('AlarmDescription', spec.AlarmDescription, described.AlarmDescription);
  compare('ActionsEnabled', spec.ActionsEnabled, described.ActionsEnabled ?? true);
  compare('Namespace', spec.Namespace, described.Namespace);
  compare('MetricName', spec.MetricName, described.MetricName);
  // A metric-math alarm under our name has no MetricName at all; saying so beats a puzzling "(none)".
  if ((described.Metrics?.length ?? 0) > 0) {
    changes.push({ field: 'Metrics', from: 'a metric math expression', to: '(none)' });
  }
  const dimensions = (
    list: readonly { Name?: string | undefined; Value?: string | undefined }[] | undefined,
  ) => sorted((list ?? []).map((dimension) => `${dimension.Name ?? ''}=${dimension.Value ?? ''}`));
  compare('Dimensions', dimensions(spec.Dimensions), dimensions(described.Dimensions));
  compare('Statistic', spec.Statistic, described.ExtendedStatistic ?? described.Statistic);
  compare('Period', spec.Period, described.Period);
  compare('EvaluationPeriods', spec.EvaluationPeriods, described.EvaluationPeriods);
  compare(
    'DatapointsToAlarm',
    spec.DatapointsToAlarm,
    described.DatapointsToAlarm ?? described.EvaluationPeriods,
  );
  compare('Threshold', spec.Threshold, described.Threshold);
  compare('ComparisonOperator', spec.ComparisonOperator, described.ComparisonOperator);
  compare('TreatMissingData', spec.TreatMissingData, described.TreatMissingData ?? 'missing');
  compare('Unit', undefined, described.Unit);
  compare('AlarmActions', sorted(spec.AlarmActions), sorted(described.AlarmActions));
  compare('OKActions', sorted(spec.OKActions), sorted(described.OKActions));
  compare(
    'InsufficientDataActions',
    sorted(spec.InsufficientDataActions),
    sorted(described.InsufficientDataActions),
  );
  return changes;
}

/** `sns:<topic>` and `ec2:reboot` read better in a plan than whole ARNs. */
export function shortAction(arn: string): string {
  const parts = arn.split(':');
  if (parts[2] === 'sns') return `sns:${parts[5] ?? arn}`;
  if (parts[2] === 'automate') return parts.slice(4).join(':');
  return arn;
}

/**
 * An HTTPS subscription endpoint may carry a token in its path or query: plans, logs and outputs show only its
 * origin. The full URL never leaves the applier.
 */
export function redactEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    const hidden = url.pathname !== '/' || url.search !== '' ? '/…' : '';
    return `${url.protocol}//${url.host}${hidden}`;
  } catch {
    return '(endpoint)';
  }
}

/** `CPUUtilization Average > 95 for 2 x 300 s -> sns:topic, ec2:reboot` */
export function describeSpec(spec: AlarmSpec): string {
  const actions = spec.AlarmActions.map(shortAction).join(', ') || 'no action';
  const window =
    spec.DatapointsToAlarm === spec.EvaluationPeriods
      ? `${spec.EvaluationPeriods} x ${spec.Period} s`
      : `${spec.DatapointsToAlarm} of ${spec.EvaluationPeriods} x ${spec.Period} s`;
  const operator = spec.ComparisonOperator === 'GreaterThanThreshold' ? '>' : spec.ComparisonOperator;
  return `${spec.MetricName} ${spec.Statistic} ${operator} ${spec.Threshold} for ${window} -> ${actions}`;
}

const showField = (value: string) => (value.length > 120 ? `${value.slice(0, 117)}...` : value);

export function describeChanges(changes: readonly FieldChange[]): string {
  return changes
    .map((change) => `${change.field} ${showField(change.from)} -> ${showField(change.to)}`)
    .join('; ');
}

/** One line per item, prefixed like a plan: `+` create, `~` update, `-` delete, `=` nothing to do. */
export function formatPlanItem(item: PlanItem): string {
  switch (item.kind) {
    case 'create-alarm':
      return `+ create alarm ${item.spec.AlarmName}: ${describeSpec(item.spec)}`;
    case 'update-alarm':
      return `~ update alarm ${item.spec.AlarmName}: ${describeChanges(item.changes)}`;
    case 'alarm-unchanged':
      return `= alarm ${item.name} is up to date${item.state === undefined ? '' : ` (state ${item.state})`}`;
    case 'delete-alarm':
      return `- delete alarm ${item.name} (${item.reason})`;
    case 'create-topic':
      return `+ create SNS topic ${item.topicArn}`;
    case 'topic-unchanged':
      return `= SNS topic ${item.topicArn} exists`;
    case 'subscribe':
      return `+ subscribe ${redactEndpoint(item.endpoint)} (https) to ${shortAction(item.topicArn)}`;
    case 'subscription-unchanged':
      return `= ${redactEndpoint(item.endpoint)} is subscribed to ${shortAction(item.topicArn)}${item.pending ? ' (pending confirmation: the bot confirms it when it receives the SubscriptionConfirmation)' : ''}`;
  }
}

/** The plan as plain data for outputs and logs: endpoints redacted, specs reduced to their names. */
export function planSummary(item: PlanItem): Record<string, unknown> {
  switch (item.kind) {
    case 'create-alarm':
    case 'update-alarm':
      return {
        kind: item.kind,
        target: item.target,
        alarm: item.spec.AlarmName,
        ...(item.kind === 'update-alarm' ? { fields: item.changes.map((change) => change.field) } : {}),
      };
    case 'alarm-unchanged':
      return { kind: item.kind, target: item.target, alarm: item.name };
    case 'delete-alarm':
      return { kind: item.kind, target: item.target, alarm: item.name };
    case 'create-topic':
    case 'topic-unchanged':
      return { kind: item.kind, topic: item.topicArn };
    case 'subscribe':
    case 'subscription-unchanged':
      return { kind: item.kind, topic: item.topicArn, endpoint: redactEndpoint(item.endpoint) };
  }
}
