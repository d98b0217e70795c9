import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  type MetricAlarm,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import { type AwsCall, toRecoveryError } from '../aws/aws-errors.js';
import type { AwsClients } from '../aws/client-factory.js';
import type { Target } from '../config/schema.js';
import { type ErrorSummary, summarizeError } from '../errors.js';
import {
  isChange,
  type PlanChange,
  type PlanItem,
  planAlarms,
  shortAction,
  type TargetAlarms,
} from './alarm-plan.js';
import { type AlarmSpec, desiredAlarms, managedAlarmNames } from './alarm-spec.js';

/**
 * Idempotent alarm provisioning (DESIGN.md): describe, diff, then create or update only what differs. The plan is
 * reported before anything is sent, so a dry run and a real run print the same plan.
 *
 * Describing throws (nothing has changed yet); applying does not: a failure part-way is returned with the changes
 * already made, because a person needs both to know where the account stands.
 */

const call = (clients: AwsClients, operation: string, resource: string): AwsCall => ({
  service: 'cloudwatch',
  operation,
  resource,
  region: clients.region,
});

/** DescribeAlarms accepts at most 100 names per call. */
const MAX_NAMES_PER_CALL = 100;

export async function describeAlarmsByName(
  clients: AwsClients,
  names: readonly string[],
): Promise<Map<string, MetricAlarm>> {
  const found = new Map<string, MetricAlarm>();
  for (let start = 0; start < names.length; start += MAX_NAMES_PER_CALL) {
    const batch = names.slice(start, start + MAX_NAMES_PER_CALL);
    let nextToken: string | undefined;
    do {
      try {
        const output = await clients
          .client(CloudWatchClient)
          .send(new DescribeAlarmsCommand({ AlarmNames: batch, NextToken: nextToken }));
        for (const alarm of output.MetricAlarms ?? []) {
          if (alarm.AlarmName !== undefined) found.set(alarm.AlarmName, alarm);
        }
        nextToken = output.NextToken;
      } catch (error) {
        throw toRecoveryError(error, call(clients, 'DescribeAlarms', `alarms ${batch.join(', ')}`));
      }
    } while (nextToken !== undefined);
  }
  return found;
}

/** Every metric alarm on the instance's CPUUtilization, whoever made it. */
export async function alarmsOnInstanceCpu(clients: AwsClients, instanceId: string): Promise<MetricAlarm[]> {
  try {
    const output = await clients.client(CloudWatchClient).send(
      new DescribeAlarmsForMetricCommand({
        Namespace: 'AWS/EC2',
        MetricName: 'CPUUtilization',
        Dimensions: [{ Name: 'InstanceId', Value: instanceId }],
      }),
    );
    return output.MetricAlarms ?? [];
  } catch (error) {
    throw toRecoveryError(
      error,
      call(clients, 'DescribeAlarmsForMetric', `CPUUtilization alarms of instance ${instanceId}`),
    );
  }
}

export function targetAlarms(target: Target): TargetAlarms {
  const { alarms, retired } = desiredAlarms(target);
  return {
    target: target.name,
    alarms,
    retired,
    retiredReason: target.alarm.enabled ? 'alarm.systemRecovery is off' : 'alarm.enabled is false',
  };
}

export interface ProvisionRequest {
  /** Clients of the one region every target here lives in. */
  clients: AwsClients;
  targets: readonly Target[];
  /** Create the targets' SNS topics when they do not exist. */
  createTopics: boolean;
  /** The bot's HTTPS endpoint, subscribed to each topic when it is not yet. */
  subscriptionEndpoint?: string;
  dryRun: boolean;
  /** Called with the complete plan before any change is sent. */
  onPlan?: (plan: readonly PlanItem[], warnings: readonly string[]) => void;
}

export interface ProvisionResult {
  region: string;
  plan: PlanItem[];
  /** The changes sent, in order; empty in a dry run. */
  applied: PlanChange[];
  warnings: string[];
  /** The change that failed, and why; the ones after it were not sent. */
  failed?: { item: PlanChange; error: ErrorSummary };
}

export async function provisionAlarms(request: ProvisionRequest): Promise<ProvisionResult> {
  const { clients, targets } = request;
  const wanted = targets.map(targetAlarms);
  const described = await describeAlarmsByName(
    clients,
    targets.flatMap((target) => managedAlarmNames(target.name)),
  );
  const warnings = await foreignCpuAlarms(clients, targets);

  const plan: PlanItem[] = [];
  const topicArns = [
    ...new Set(
      targets.flatMap((target) =>
        target.alarm.enabled && target.alarm.topicArn !== undefined ? [target.alarm.topicArn] : [],
      ),
    ),
  ];
  if (topicArns.length > 0 && (request.createTopics || request.subscriptionEndpoint !== undefined)) {
    // The SNS client is loaded only for runs that manage the topic.
    const { planTopics } = await import('./sns-topics.js');
    const topics = await planTopics(clients, {
      topicArns,
      create: request.createTopics,
      ...(request.subscriptionEndpoint === undefined
        ? {}
        : { subscriptionEndpoint: request.subscriptionEndpoint }),
    });
    plan.push(...topics.plan);
    warnings.push(...topics.warnings);
  }
  plan.push(...planAlarms(wanted, described));
  request.onPlan?.(plan, warnings);

  const result: ProvisionResult = { region: clients.region, plan, applied: [], warnings };
  if (request.dryRun) return result;
  // Topics before subscriptions before alarms: an alarm must never point at a topic that is not there yet.
  for (const item of plan) {
    if (!isChange(item)) continue;
    try {
      await applyChange(clients, item);
    } catch (error) {
      result.failed = { item, error: summarizeError(error) };
      return result;
    }
    result.applied.push(item);
  }
  return result;
}

async function applyChange(clients: AwsClients, item: PlanChange): Promise<void> {
  switch (item.kind) {
    case 'create-topic': {
      const { createTopic } = await import('./sns-topics.js');
      return createTopic(clients, item.topicArn);
    }
    case 'subscribe': {
      const { subscribeEndpoint } = await import('./sns-topics.js');
      return subscribeEndpoint(clients, item.topicArn, item.endpoint);
    }
    case 'create-alarm':
    case 'update-alarm':
      return putAlarm(clients, item.spec);
    case 'delete-alarm':
      try {
        await clients.client(CloudWatchClient).send(new DeleteAlarmsCommand({ AlarmNames: [item.name] }));
      } catch (error) {
        throw toRecoveryError(error, call(clients, 'DeleteAlarms', `alarm ${item.name}`));
      }
  }
}

async function putAlarm(clients: AwsClients, spec: AlarmSpec): Promise<void> {
  try {
    await clients.client(CloudWatchClient).send(
      new PutMetricAlarmCommand({
        ...spec,
        // Applied on creation only (CloudWatch ignores tags on an update), which is all a marker needs.
        Tags: [{ Key: 'managed-by', Value: 'domtory-recovery' }],
      }),
    );
  } catch (error) {
    throw toRecoveryError(error, call(clients, 'PutMetricAlarm', `alarm ${spec.AlarmName}`));
  }
}

/**
 * An alarm made by hand before this tool (the original setup's reboot alarm, typically) keeps acting next to
 * ours: two reboots for one incident, or a reboot racing the bot. Provisioning leaves it alone but says so.
 */
async function foreignCpuAlarms(clients: AwsClients, targets: readonly Target[]): Promise<string[]> {
  const warnings: string[] = [];
  await Promise.all(
    targets
      .filter((target) => target.alarm.enabled)
      .map(async (target) => {
        let alarms: MetricAlarm[];
        try {
          alarms = await alarmsOnInstanceCpu(clients, target.instanceId);
        } catch (error) {
          warnings.push(
            `could not list other CPU alarms of ${target.name}: ${error instanceof Error ? error.message : String(error)}`,
          );
          return;
        }
        const ours = new Set(managedAlarmNames(target.name));
        for (const alarm of alarms) {
          if (alarm.AlarmName === undefined || ours.has(alarm.AlarmName)) continue;
          const actions = (alarm.AlarmActions ?? []).map(shortAction).join(', ') || 'no actions';
          warnings.push(
            `alarm "${alarm.AlarmName}" also watches CPUUtilization of ${target.instanceId} (${actions}); it is not managed here and keeps acting: delete it if ${managedAlarmNames(target.name)[0]} replaces it`,
          );
        }
      }),
  );
  return warnings.sort();
}
