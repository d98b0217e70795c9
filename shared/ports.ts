/**
 * The ports the recovery core is driven through. The AWS adapters (`shared/aws/`), the simulator
 * (`shared/sim/`) and test fakes all implement these, so the same sequence runs against each.
 *
 * Ports speak the core's language, not the SDK's: adapters translate SDK shapes and errors
 * (into `RecoveryError`) so that the sequence never sees an SDK type.
 */

import { setTimeout as delay } from 'node:timers/promises';

export type InstanceState = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

export interface InstanceDescription {
  instanceId: string;
  state: InstanceState;
  instanceType: string;
  launchTime?: Date;
  availabilityZone?: string;
}

export interface DryRunOption {
  /** EC2 `DryRun=true`: the call checks permissions and changes nothing. Success means "would have worked". */
  dryRun: boolean;
}

export interface Ec2Port {
  /** `undefined` when EC2 does not know the instance (InvalidInstanceID.NotFound). */
  describeInstance(instanceId: string): Promise<InstanceDescription | undefined>;
  rebootInstance(instanceId: string, options: DryRunOption): Promise<void>;
  stopInstance(instanceId: string, options: DryRunOption & { force: boolean }): Promise<void>;
  startInstance(instanceId: string, options: DryRunOption): Promise<void>;
  /** Both EC2 status checks pass. Kept only for the optional seed-style wait; it is never proof of a new boot. */
  instanceStatusOk(instanceId: string): Promise<boolean>;
}

export type CommandStatus =
  | 'Pending'
  | 'InProgress'
  | 'Delayed'
  | 'Success'
  | 'Cancelled'
  | 'Cancelling'
  | 'TimedOut'
  | 'Failed'
  | 'Undeliverable'
  | 'Terminated';

export const TERMINAL_COMMAND_STATUSES: ReadonlySet<CommandStatus> = new Set([
  'Success',
  'Cancelled',
  'TimedOut',
  'Failed',
  'Undeliverable',
  'Terminated',
]);

export interface SendCommandRequest {
  instanceId: string;
  /** Lines of an `AWS-RunShellScript` document. */
  commands: string[];
  workingDirectory?: string;
  /** SSM `TimeoutSeconds`: how long SSM keeps trying to deliver the command (minimum 30). */
  deliveryTimeoutSeconds: number;
  /** `executionTimeout` document parameter: how long the script may run once delivered. */
  executionTimeoutSeconds: number;
  comment: string;
}

export interface CommandInvocation {
  commandId: string;
  status: CommandStatus;
  /** SSM's ResponseCode; -1 or absent while the command has not finished. */
  exitCode?: number;
  /** SSM keeps the first 24,000 characters of stdout and 8,000 of stderr. */
  stdout: string;
  stderr: string;
}

export type AgentPingStatus = 'Online' | 'ConnectionLost' | 'Inactive' | 'NotRegistered';

export interface CommandPort {
  /**
   * Throws `RecoveryError('ssm-unreachable')` when SSM refuses the instance ("not in a valid state"): no
   * instance profile, agent not registered, or the agent has been offline long enough for SSM to notice.
   */
  sendCommand(request: SendCommandRequest): Promise<{ commandId: string }>;
  /** `undefined` while SSM does not know the invocation yet (InvocationDoesNotExist right after SendCommand). */
  getInvocation(commandId: string, instanceId: string): Promise<CommandInvocation | undefined>;
  cancelCommand(commandId: string, instanceId: string): Promise<void>;
  /** DescribeInstanceInformation's PingStatus; lags minutes behind reality, so only a hint. */
  agentPingStatus(instanceId: string): Promise<AgentPingStatus>;
}

export type MetricName = 'CPUUtilization' | 'CPUCreditBalance';
export type MetricStatistic = 'Average' | 'Minimum' | 'Maximum' | 'Sum' | 'SampleCount';

export interface MetricQuery {
  instanceId: string;
  metric: MetricName;
  statistic: MetricStatistic;
  start: Date;
  end: Date;
  periodSeconds: number;
}

export interface MetricDatapoint {
  timestamp: Date;
  value: number;
}

export interface MetricsPort {
  /** Datapoints in ascending time order; empty when CloudWatch has none. */
  getDatapoints(query: MetricQuery): Promise<MetricDatapoint[]>;
}

export interface StoredParameter {
  value: string;
  version: number;
}

/** SSM Parameter Store, the only shared state between the bot and the action. */
export interface ParameterStorePort {
  get(name: string): Promise<StoredParameter | undefined>;
  /** `PutParameter` with `Overwrite=false`: atomic create-if-absent. Resolves `false` when the name exists. */
  create(name: string, value: string): Promise<boolean>;
  /** `PutParameter` with `Overwrite=true`; resolves the new version. */
  overwrite(name: string, value: string): Promise<number>;
  /** No-op when the parameter does not exist. */
  delete(name: string): Promise<void>;
}

export type HttpProbeResult = { status: number; bodySnippet: string } | { error: string };

export interface HttpProbePort {
  get(url: string, timeoutMs: number): Promise<HttpProbeResult>;
}

/** Time in milliseconds since the epoch; `sleep` is injectable so tests and the simulator never wait for real. */
export interface Clock {
  now(): number;
  /** With a signal, the sleep ends as soon as it aborts, rejecting with an `AbortError`. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface RecoveryPorts {
  ec2: Ec2Port;
  commands: CommandPort;
  metrics: MetricsPort;
  parameters: ParameterStorePort;
  http: HttpProbePort;
  clock: Clock;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(ms, undefined, signal === undefined ? {} : { signal }),
};
