import { describeChanges, diffAlarm } from '../../shared/alarm/alarm-plan.js';
import { describeAlarmsByName } from '../../shared/alarm/alarm-provisioner.js';
import { alarmConfigProblems, desiredAlarms } from '../../shared/alarm/alarm-spec.js';
import type { Target } from '../../shared/config/schema.js';
import { isRecoveryError, summarizeError } from '../../shared/errors.js';
import type { CommandInvocation, InstanceDescription, RecoveryPorts } from '../../shared/ports.js';
import { waitForCommand } from '../../shared/recovery/command-wait.js';
import { lockParameterName } from '../../shared/state/lock.js';
import type { DoctorInputs } from '../inputs.js';
import { escapeHtml, seconds, table } from '../render/markdown.js';
import { type CommandReport, type CommandTools, withFix } from '../report.js';
import { composeVerdict, doctorScript, parseDoctorProbe } from './doctor-probe.js';

/**
 * `doctor`: a preflight of everything a real recovery needs, each failed check with its fix. It changes nothing
 * on the instance: EC2 calls go with `DryRun=true`, the one SSM command only reads, and the Parameter Store
 * check writes and deletes a probe parameter next to the lock.
 */

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface Check {
  target: string;
  check: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

const ICON: Record<CheckStatus, string> = { pass: '✔', warn: '⚠', fail: '✖', skip: '⏭' };
/** How long the doctor waits for its SSM command: far more than a healthy agent needs. */
const COMMAND_WAIT_MS = 45_000;

export async function doctor(inputs: DoctorInputs, tools: CommandTools): Promise<CommandReport> {
  const checks: Check[] = [];
  for (const target of inputs.targets) {
    const targetChecks = await diagnose(target, inputs, tools);
    tools.log.startGroup(`Doctor: ${target.name} (${target.instanceId}, ${target.region})`);
    for (const check of targetChecks) {
      tools.log.info(`${ICON[check.status]} ${check.check}: ${check.detail}`);
      if (check.fix !== undefined && check.status !== 'pass') tools.log.info(`    fix: ${check.fix}`);
    }
    tools.log.endGroup();
    checks.push(...targetChecks);
  }
  const failed = checks.filter((check) => check.status === 'fail');
  const warned = checks.filter((check) => check.status === 'warn');
  const report: CommandReport = {
    ok: failed.length === 0,
    outputs: {
      outcome: failed.length > 0 ? 'failed' : warned.length > 0 ? 'warnings' : 'ok',
      checks: JSON.stringify(checks),
      failed: String(failed.length),
    },
    summary: doctorSummary(inputs, checks),
  };
  if (failed.length > 0) {
    report.failure = `${failed.length} check(s) failed:\n${failed
      .map((check) => `${check.target} / ${check.check}: ${withFix(check.detail, check.fix, ' ')}`)
      .join('\n')}`;
  }
  return report;
}

const CHECK = {
  credentials: 'Credentials and region',
  instance: 'Instance exists',
  ec2: 'EC2 permissions (DryRun)',
  ssm: 'SSM agent reachable',
  compose: 'Docker and compose',
  parameters: 'Parameter Store (lock and history)',
  metrics: 'CloudWatch metrics (evidence)',
  alarm: 'Alarm wired to its actions',
} as const;

function failure(target: Target, check: string, error: unknown, status: CheckStatus = 'fail'): Check {
  const summary = summarizeError(error);
  const entry: Check = { target: target.name, check, status, detail: summary.message };
  if (summary.fix !== undefined) entry.fix = summary.fix;
  return entry;
}

async function diagnose(target: Target, inputs: DoctorInputs, tools: CommandTools): Promise<Check[]> {
  const ports = tools.aws.ports(target.region);
  const pass = (check: string, detail: string): Check => ({
    target: target.name,
    check,
    status: 'pass',
    detail,
  });
  const skip = (check: string, detail: string): Check => ({
    target: target.name,
    check,
    status: 'skip',
    detail,
  });

  let instance: InstanceDescription | undefined;
  try {
    instance = await ports.ec2.describeInstance(target.instanceId);
  } catch (error) {
    const credentials = failure(target, CHECK.credentials, error);
    const blocked = 'needs working credentials and ec2:DescribeInstances';
    return [
      credentials,
      ...[
        CHECK.instance,
        CHECK.ec2,
        CHECK.ssm,
        CHECK.compose,
        CHECK.parameters,
        CHECK.metrics,
        CHECK.alarm,
      ].map((check) => skip(check, blocked)),
    ];
  }
  const checks: Check[] = [pass(CHECK.credentials, `AWS answered ec2:DescribeInstances in ${target.region}`)];
  if (instance === undefined) {
    checks.push({
      target: target.name,
      check: CHECK.instance,
      status: 'fail',
      detail: `${target.instanceId} does not exist in ${target.region}`,
      fix: 'Check the instance id and the region: instance ids are per region.',
    });
    for (const check of [CHECK.ec2, CHECK.ssm, CHECK.compose]) checks.push(skip(check, 'no instance'));
  } else {
    const running = instance.state === 'running';
    checks.push({
      target: target.name,
      check: CHECK.instance,
      status: running
        ? 'pass'
        : instance.state === 'terminated' || instance.state === 'shutting-down'
          ? 'fail'
          : 'warn',
      detail: `${instance.state}, ${instance.instanceType}${instance.availabilityZone === undefined ? '' : ` in ${instance.availabilityZone}`}`,
      ...(running
        ? {}
        : { fix: 'A recovery starts a stopped instance; a terminated one cannot be recovered.' }),
    });
  }

  const [ec2, remote, parameters, metrics, alarm] = await Promise.all([
    instance === undefined ? Promise.resolve(undefined) : checkEc2(target, ports),
    instance === undefined ? Promise.resolve(undefined) : checkRemote(target, instance, ports, tools.signal),
    checkParameters(target, inputs.parameterPrefix, ports),
    checkMetrics(target, ports),
    checkAlarm(target, tools),
  ]);
  if (ec2 !== undefined) checks.push(ec2);
  if (remote !== undefined) checks.push(...remote);
  checks.push(parameters, metrics, alarm);
  return checks;
}

async function checkEc2(target: Target, ports: RecoveryPorts): Promise<Check> {
  const id = target.instanceId;
  const attempts = await Promise.allSettled([
    ports.ec2.rebootInstance(id, { dryRun: true }),
    ports.ec2.stopInstance(id, { dryRun: true, force: false }),
    ports.ec2.startInstance(id, { dryRun: true }),
  ]);
  const names = ['RebootInstances', 'StopInstances', 'StartInstances'];
  const refused = attempts.flatMap((attempt, index) =>
    attempt.status === 'rejected' ? [{ name: names[index] ?? '', error: attempt.reason }] : [],
  );
  if (refused.length === 0) {
    return {
      target: target.name,
      check: CHECK.ec2,
      status: 'pass',
      detail: 'RebootInstances, StopInstances and StartInstances would be allowed',
    };
  }
  const first = summarizeError(refused[0]?.error);
  const check: Check = {
    target: target.name,
    check: CHECK.ec2,
    status: 'fail',
    detail: `${refused.map((entry) => entry.name).join(', ')} refused: ${first.message}`,
  };
  const fix =
    first.fix ??
    `Allow ${refused.map((entry) => `ec2:${entry.name}`).join(', ')} on ${id} for the role these credentials belong to.`;
  check.fix = fix;
  return check;
}

async function runDoctorCommand(
  target: Target,
  ports: RecoveryPorts,
  signal: AbortSignal,
): Promise<CommandInvocation> {
  const { commandId } = await ports.commands.sendCommand({
    instanceId: target.instanceId,
    commands: doctorScript(target),
    deliveryTimeoutSeconds: 30,
    executionTimeoutSeconds: 30,
    comment: `domtory-recovery doctor (${target.name})`,
  });
  const wait = await waitForCommand(ports.commands, ports.clock, {
    commandId,
    instanceId: target.instanceId,
    deadline: ports.clock.now() + COMMAND_WAIT_MS,
    cadence: { firstMs: 400, maxMs: 2_000 },
    pause: (ms) => ports.clock.sleep(ms, signal),
  }).catch((error: unknown) => {
    if (signal.aborted) {
      // The reason says who stopped the run: its cancellation, or the action's timeout-minutes.
      const why = signal.reason instanceof Error ? signal.reason.message : 'the run was stopped';
      throw new Error(`${why} while the doctor's command ${commandId} ran`);
    }
    throw error;
  });
  if (wait.finished) return wait.invocation;
  throw new Error(
    `the doctor's command ${commandId} did not finish within ${COMMAND_WAIT_MS / 1000} s (last status ${wait.lastStatus ?? 'not yet known to SSM'})`,
  );
}

async function checkRemote(
  target: Target,
  instance: InstanceDescription,
  ports: RecoveryPorts,
  signal: AbortSignal,
): Promise<Check[]> {
  const base = { target: target.name };
  if (instance.state !== 'running') {
    const why = `the instance is ${instance.state}`;
    return [
      { ...base, check: CHECK.ssm, status: 'skip', detail: why },
      { ...base, check: CHECK.compose, status: 'skip', detail: why },
    ];
  }
  const ping = await ports.commands.agentPingStatus(target.instanceId).catch(() => undefined);
  let invocation: CommandInvocation;
  try {
    invocation = await runDoctorCommand(target, ports, signal);
  } catch (error) {
    const ssm = failure(target, CHECK.ssm, error);
    if (ping !== undefined) ssm.detail = `${ssm.detail} (agent ping status: ${ping})`;
    if (!isRecoveryError(error) && ssm.fix === undefined) {
      ssm.fix = 'Check the command in Systems Manager, Run Command: the agent may be overloaded or stopped.';
    }
    return [ssm, { ...base, check: CHECK.compose, status: 'skip', detail: 'needs the SSM agent' }];
  }
  if (invocation.status !== 'Success') {
    return [
      {
        ...base,
        check: CHECK.ssm,
        status: 'fail',
        detail: `the doctor's command ${invocation.commandId} ended ${invocation.status}: ${invocation.stderr.trim().split('\n').at(-1) ?? ''}`,
        fix: 'Check the command in Systems Manager, Run Command; the instance needs a POSIX shell (AWS-RunShellScript).',
      },
      { ...base, check: CHECK.compose, status: 'skip', detail: 'the doctor command did not run' },
    ];
  }
  const probe = parseDoctorProbe(invocation.stdout);
  const ssm: Check = {
    ...base,
    check: CHECK.ssm,
    status: 'pass',
    detail: `agent ${ping ?? 'answered'}; boot ${probe.bootId?.slice(0, 8) ?? '?'}${probe.uptimeSeconds === undefined ? '' : `, up ${seconds(probe.uptimeSeconds * 1000)}`} (command ${invocation.commandId})`,
  };
  const verdict = composeVerdict(target, probe);
  const compose: Check = {
    ...base,
    check: CHECK.compose,
    status: verdict.ok ? 'pass' : 'fail',
    detail: verdict.detail,
  };
  if (verdict.fix !== undefined) compose.fix = verdict.fix;
  return [ssm, compose];
}

async function checkParameters(target: Target, prefix: string, ports: RecoveryPorts): Promise<Check> {
  // A real write and delete next to the lock: PutParameter cannot be tried with DryRun, and a lock that cannot be
  // written stops every recovery at its first step.
  const name = `${prefix}/${target.name}/doctor-probe`;
  try {
    await ports.parameters.get(lockParameterName(prefix, target.instanceId));
    await ports.parameters.create(name, JSON.stringify({ doctor: new Date().toISOString() }));
    await ports.parameters.delete(name);
    return {
      target: target.name,
      check: CHECK.parameters,
      status: 'pass',
      detail: `read, wrote and deleted ${name}`,
    };
  } catch (error) {
    const check = failure(target, CHECK.parameters, error);
    check.fix ??= `Allow ssm:GetParameter, ssm:PutParameter and ssm:DeleteParameter on parameter${prefix}/*.`;
    return check;
  }
}

async function checkMetrics(target: Target, ports: RecoveryPorts): Promise<Check> {
  const end = new Date(ports.clock.now());
  try {
    const points = await ports.metrics.getDatapoints({
      instanceId: target.instanceId,
      metric: 'CPUUtilization',
      statistic: 'Maximum',
      start: new Date(end.getTime() - 30 * 60_000),
      end,
      periodSeconds: 300,
    });
    const last = points.at(-1);
    return {
      target: target.name,
      check: CHECK.metrics,
      status: 'pass',
      detail:
        last === undefined
          ? 'cloudwatch:GetMetricStatistics answered (no datapoints in the last 30 min)'
          : `CPUUtilization ${last.value.toFixed(1)}% at ${last.timestamp.toISOString()}`,
    };
  } catch (error) {
    // Evidence is best effort: a recovery goes on without it.
    return failure(target, CHECK.metrics, error, 'warn');
  }
}

async function checkAlarm(target: Target, tools: CommandTools): Promise<Check> {
  const base = { target: target.name, check: CHECK.alarm };
  const { alarms } = desiredAlarms(target);
  if (alarms.length === 0)
    return { ...base, status: 'skip', detail: 'alarm.enabled is false: no alarm is managed' };
  const { topicArn, rebootAction, systemRecovery } = target.alarm;
  if (topicArn === undefined && !rebootAction && !systemRecovery) {
    // provision refuses an alarm that would do nothing, so a missing one is no fault: recoveries are by hand.
    return {
      ...base,
      status: 'skip',
      detail:
        'not configured (restart-only): no topic, reboot action or system recovery is set, so provision manages no alarm',
    };
  }
  const refused = alarmConfigProblems(target);
  if (refused.length > 0) {
    // "Run provision" would be no fix: provision refuses these settings before any AWS call.
    return {
      ...base,
      status: 'fail',
      detail: refused.map((problem) => problem.message).join('; '),
      fix: 'Correct the alarm settings; provision refuses them as they are.',
    };
  }
  const clients = tools.aws.clients(target.region);
  try {
    const described = await describeAlarmsByName(
      clients,
      alarms.map((alarm) => alarm.spec.AlarmName),
    );
    const problems: string[] = [];
    for (const { spec } of alarms) {
      const existing = described.get(spec.AlarmName);
      if (existing === undefined) problems.push(`${spec.AlarmName} does not exist`);
      else {
        const changes = diffAlarm(spec, existing).filter((change) => change.field !== 'AlarmDescription');
        if (changes.length > 0) problems.push(`${spec.AlarmName} differs: ${describeChanges(changes)}`);
      }
    }
    if (problems.length > 0) {
      return {
        ...base,
        status: 'fail',
        detail: problems.join('; '),
        fix: 'Run the provision command: it creates or updates only what differs (try dry-run: true first).',
      };
    }
    const topicArn = target.alarm.topicArn;
    let topicNote = '';
    if (topicArn !== undefined) {
      const { describeTopic } = await import('../../shared/alarm/sns-topics.js');
      let state: Awaited<ReturnType<typeof describeTopic>>;
      try {
        state = await describeTopic(clients, topicArn);
      } catch (error) {
        const check = failure(target, CHECK.alarm, error, 'warn');
        check.detail = `alarms match the config; could not check topic ${topicArn}: ${check.detail}`;
        return check;
      }
      if (!state.exists) {
        return {
          ...base,
          status: 'fail',
          detail: `the alarm notifies ${topicArn}, which does not exist`,
          fix: 'Run provision with create-topic: true, or correct alarm.topicArn.',
        };
      }
      if (state.confirmed === 0) {
        return {
          ...base,
          status: 'warn',
          detail: `${topicArn} has no confirmed subscription${state.pending > 0 ? ` (${state.pending} pending)` : ''}: nobody hears the alarm`,
          fix: "Run provision with subscription-endpoint set to the bot's URL; the bot confirms the subscription when SNS calls it.",
        };
      }
      topicNote = `; ${topicArn.split(':')[5]} has ${state.confirmed} confirmed subscription(s)`;
    }
    const states = alarms.map(
      ({ spec }) => `${spec.AlarmName} ${described.get(spec.AlarmName)?.StateValue ?? '?'}`,
    );
    return { ...base, status: 'pass', detail: `${states.join(', ')}${topicNote}` };
  } catch (error) {
    return failure(target, CHECK.alarm, error);
  }
}

function doctorSummary(inputs: DoctorInputs, checks: readonly Check[]): string {
  const failed = checks.filter((check) => check.status === 'fail').length;
  const parts = [
    failed === 0 ? '## ✅ Doctor: a recovery has what it needs' : `## ❌ Doctor: ${failed} check(s) failed`,
  ];
  for (const target of inputs.targets) {
    parts.push(`### ${escapeHtml(target.name)} (\`${target.instanceId}\`, ${target.region})`);
    parts.push(
      table(
        ['Check', 'Result', 'Detail', 'Fix'],
        checks
          .filter((check) => check.target === target.name)
          .map((check) => [
            check.check,
            `${ICON[check.status]} ${check.status}`,
            check.detail,
            check.status === 'pass' ? '' : (check.fix ?? ''),
          ]),
      ),
    );
  }
  return `${parts.join('\n\n')}\n`;
}
