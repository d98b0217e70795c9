import { isRecoveryError, type RecoveryErrorCode, summarizeError } from '../errors.js';
import type { InstanceDescription, MetricDatapoint, RecoveryPorts } from '../ports.js';
import { waitForCommand } from './command-wait.js';
import type { Evidence } from './events.js';
import type { CallPacer } from './pacer.js';
import { evidenceScript, parseEvidence } from './remote-scripts.js';

/** Below this many credits a burstable instance is effectively pinned to its baseline. */
const CREDITS_EXHAUSTED_BELOW = 2;
const METRIC_WINDOW_MS = 30 * 60_000;

export interface EvidenceRequest {
  ports: RecoveryPorts;
  pacer: CallPacer;
  instance: InstanceDescription;
  deadline: number;
  /** Dry runs only ask whether the agent is reachable: no command runs on the instance. */
  reachabilityOnly: boolean;
  onCommand: (commandId: string) => void;
  onProgress: (message: string) => void;
}

export const isBurstable = (instanceType: string): boolean => /^t\d[a-z]*\./.test(instanceType);

/**
 * Best effort, inside a short deadline: a hung host rarely answers, and the reboot must not wait on it.
 * What the host says is what a person wants to read after the fact: what pinned the CPU, memory, OOM kills.
 */
export async function collectEvidence(request: EvidenceRequest): Promise<Evidence> {
  const evidence: Evidence = { notes: [] };
  await Promise.all([fromHost(request, evidence), fromMetrics(request, evidence)]);
  return evidence;
}

async function fromHost(request: EvidenceRequest, evidence: Evidence): Promise<void> {
  const { ports, instance } = request;
  if (instance.state !== 'running') {
    evidence.notes.push(`instance is ${instance.state}: nothing to ask it`);
    return;
  }
  if (request.reachabilityOnly) {
    const status = await ports.commands.agentPingStatus(instance.instanceId);
    evidence.notes.push(`SSM agent ping status: ${status}`);
    return;
  }
  try {
    await askHost(request, evidence);
  } catch (error) {
    if (isRecoveryError(error, 'ssm-unreachable')) {
      evidence.notes.push(
        'SSM does not reach the instance (usual for a hung one): no evidence from the host',
      );
      return;
    }
    // Best effort: a throttled or failing SSM call costs the evidence, not the recovery. What no retry can cure
    // (a missing permission, a cancelled run) stops it here, before the restart, since the steps after the
    // restart would make the same calls.
    if (!isRecoveryError(error) || !TOLERATED.has(error.code)) throw error;
    request.onProgress('could not ask the host; restarting without host evidence');
    evidence.notes.push(`no evidence from the host: ${summarizeError(error).message}`);
  }
}

const TOLERATED: ReadonlySet<RecoveryErrorCode> = new Set(['throttled', 'aws-error', 'timeout']);

async function askHost(request: EvidenceRequest, evidence: Evidence): Promise<void> {
  const { ports, instance, deadline, pacer } = request;
  const { commandId } = await ports.commands.sendCommand({
    instanceId: instance.instanceId,
    commands: evidenceScript(),
    deliveryTimeoutSeconds: 30,
    executionTimeoutSeconds: 30,
    comment: 'domtory-recovery evidence',
  });
  request.onCommand(commandId);
  const wait = await waitForCommand(ports.commands, ports.clock, {
    commandId,
    instanceId: instance.instanceId,
    deadline,
    // The script takes a few seconds on a struggling host; looking sooner only spends calls.
    cadence: { firstMs: 1_500, maxMs: 2_000 },
    pause: (ms, until) => pacer.wait(ms, until),
  });
  if (wait.finished) {
    const { invocation } = wait;
    const sections = parseEvidence(invocation.stdout);
    if (sections.boot !== undefined) {
      evidence.bootId = sections.boot.bootId;
      evidence.uptimeSeconds = sections.boot.uptimeSeconds;
    }
    if (sections.top !== undefined) evidence.topProcesses = sections.top;
    if (sections.dockerStats !== undefined) evidence.dockerStats = sections.dockerStats;
    if (sections.memory !== undefined) evidence.memory = sections.memory;
    if (sections.oom !== undefined) evidence.oomKills = sections.oom;
    if (invocation.status !== 'Success') evidence.notes.push(`evidence command ended ${invocation.status}`);
    return;
  }
  request.onProgress('the instance did not answer in time; restarting without host evidence');
  evidence.notes.push('SSM did not answer before the evidence deadline (usual for a hung instance)');
}

async function fromMetrics(request: EvidenceRequest, evidence: Evidence): Promise<void> {
  const { ports, instance } = request;
  const end = new Date(ports.clock.now());
  const start = new Date(end.getTime() - METRIC_WINDOW_MS);
  const query = { instanceId: instance.instanceId, start, end, periodSeconds: 300 } as const;
  const read = async (
    metric: 'CPUUtilization' | 'CPUCreditBalance',
  ): Promise<MetricDatapoint[] | undefined> => {
    try {
      return await ports.metrics.getDatapoints({
        ...query,
        metric,
        statistic: metric === 'CPUUtilization' ? 'Maximum' : 'Minimum',
      });
    } catch (error) {
      evidence.notes.push(`${metric} unavailable: ${summarizeError(error).message}`);
      return undefined;
    }
  };
  const [cpu, credits] = await Promise.all([
    read('CPUUtilization'),
    isBurstable(instance.instanceType) ? read('CPUCreditBalance') : Promise.resolve(undefined),
  ]);
  if (cpu !== undefined) evidence.cpuUtilization = cpu;
  if (credits !== undefined) {
    evidence.cpuCreditBalance = credits;
    const latest = credits.at(-1);
    if (latest !== undefined) evidence.creditsExhausted = latest.value < CREDITS_EXHAUSTED_BELOW;
  }
}
