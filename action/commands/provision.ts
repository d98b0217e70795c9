import {
  describeChanges,
  describeSpec,
  formatPlanItem,
  isChange,
  type PlanItem,
  planSummary,
  redactEndpoint,
} from '../../shared/alarm/alarm-plan.js';
import { type ProvisionResult, provisionAlarms } from '../../shared/alarm/alarm-provisioner.js';
import type { Target } from '../../shared/config/schema.js';
import { summarizeError } from '../../shared/errors.js';
import type { ProvisionInputs } from '../inputs.js';
import { alert, escapeHtml, table } from '../render/markdown.js';
import { type CommandReport, type CommandTools, withFix } from '../report.js';

/**
 * `provision`: the targets' CloudWatch alarms (and optionally the bot's topic and subscription), one region at a
 * time. The plan is printed before anything changes; `dry-run` stops there.
 */
export async function provision(inputs: ProvisionInputs, tools: CommandTools): Promise<CommandReport> {
  const { log } = tools;
  const regions = new Map<string, Target[]>();
  for (const target of inputs.targets)
    regions.set(target.region, [...(regions.get(target.region) ?? []), target]);

  const results: ProvisionResult[] = [];
  let failure: string | undefined;
  for (const [region, targets] of regions) {
    if (tools.signal.aborted) {
      failure = `stopped before provisioning ${region}: the run was cancelled or timed out`;
      break;
    }
    log.startGroup(`Plan for ${targets.map((target) => target.name).join(', ')} in ${region}`);
    try {
      const result = await provisionAlarms({
        clients: tools.aws.clients(region),
        targets,
        createTopics: inputs.createTopic,
        ...(inputs.subscriptionEndpoint === undefined
          ? {}
          : { subscriptionEndpoint: inputs.subscriptionEndpoint }),
        dryRun: inputs.dryRun,
        onPlan: (plan, warnings) => {
          for (const item of plan) log.info(formatPlanItem(item));
          for (const warning of warnings) log.warning(warning);
          const changes = plan.filter(isChange).length;
          log.info(
            changes === 0
              ? 'Nothing to change.'
              : inputs.dryRun
                ? `${changes} change(s) planned; dry run: nothing is sent.`
                : `Applying ${changes} change(s)...`,
          );
        },
      });
      results.push(result);
      for (const item of result.applied) log.info(`done: ${formatPlanItem(item)}`);
      if (result.failed !== undefined) {
        const { item, error } = result.failed;
        failure = `${formatPlanItem(item)} failed: ${withFix(error.message, error.fix, '\n')}`;
      }
    } catch (error) {
      const summary = summarizeError(error);
      failure = `could not plan ${region}: ${withFix(summary.message, summary.fix, '\n')}`;
    } finally {
      log.endGroup();
    }
    if (failure !== undefined) break;
  }

  const plan = results.flatMap((result) => result.plan);
  const planned = plan.filter(isChange).length;
  const applied = results.reduce((count, result) => count + result.applied.length, 0);
  const outcome =
    failure !== undefined ? 'failed' : planned === 0 ? 'unchanged' : inputs.dryRun ? 'planned' : 'applied';
  const report: CommandReport = {
    ok: failure === undefined,
    outputs: {
      outcome,
      plan: JSON.stringify(plan.map(planSummary)),
      changes: String(planned),
      applied: String(applied),
      'alarm-names': JSON.stringify(
        plan.flatMap((item) =>
          item.kind === 'create-alarm' || item.kind === 'update-alarm'
            ? [item.spec.AlarmName]
            : item.kind === 'alarm-unchanged'
              ? [item.name]
              : [],
        ),
      ),
    },
    summary: provisionSummary(inputs, results, outcome, failure),
  };
  if (failure !== undefined) report.failure = `Provisioning failed: ${failure}`;
  return report;
}

const KIND_LABEL: Record<PlanItem['kind'], string> = {
  'create-alarm': '➕ create',
  'update-alarm': '✏️ update',
  'alarm-unchanged': '✔️ up to date',
  'delete-alarm': '➖ delete',
  'create-topic': '➕ create topic',
  'topic-unchanged': '✔️ topic exists',
  subscribe: '➕ subscribe',
  'subscription-unchanged': '✔️ subscribed',
};

function provisionSummary(
  inputs: ProvisionInputs,
  results: readonly ProvisionResult[],
  outcome: string,
  failure: string | undefined,
): string {
  const heading = {
    failed: '❌ Alarm provisioning failed',
    unchanged: '✅ Alarms are up to date: nothing to change',
    planned: '🧪 Alarm provisioning plan (dry run: nothing was changed)',
    applied: '✅ Alarms provisioned',
  }[outcome];
  const parts = [`## ${heading ?? outcome}`];
  if (failure !== undefined) parts.push(alert('CAUTION', failure.split('\n')));
  for (const result of results) {
    const applied = new Set<PlanItem>(result.applied);
    parts.push(`### ${result.region}`);
    parts.push(
      table(
        ['Change', 'Resource', 'Detail'],
        result.plan.map((item) => {
          const notSent = isChange(item) && !inputs.dryRun && !applied.has(item);
          return [
            `${KIND_LABEL[item.kind]}${notSent ? ' (not sent)' : ''}`,
            resourceOf(item),
            detailOf(item),
          ];
        }),
      ),
    );
    if (result.warnings.length > 0) parts.push(alert('WARNING', result.warnings));
  }
  parts.push(
    `Targets from ${escapeHtml(inputs.source)}: ${inputs.targets.map((target) => `\`${target.name}\` (${target.instanceId})`).join(', ')}`,
  );
  return `${parts.join('\n\n')}\n`;
}

function detailOf(item: PlanItem): string {
  switch (item.kind) {
    case 'create-alarm':
      return describeSpec(item.spec);
    case 'update-alarm':
      return describeChanges(item.changes);
    case 'alarm-unchanged':
      return item.state === undefined ? '' : `state ${item.state}`;
    case 'delete-alarm':
      return item.reason;
    case 'subscription-unchanged':
      return item.pending ? 'pending confirmation by the bot' : 'confirmed';
    default:
      return '';
  }
}

function resourceOf(item: PlanItem): string {
  switch (item.kind) {
    case 'create-alarm':
    case 'update-alarm':
      return item.spec.AlarmName;
    case 'alarm-unchanged':
    case 'delete-alarm':
      return item.name;
    case 'create-topic':
    case 'topic-unchanged':
      return item.topicArn;
    case 'subscribe':
    case 'subscription-unchanged':
      return `${redactEndpoint(item.endpoint)} → ${item.topicArn}`;
  }
}
