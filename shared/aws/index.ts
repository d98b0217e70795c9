import type {
  Clock,
  CommandPort,
  Ec2Port,
  MetricsPort,
  ParameterStorePort,
  RecoveryPorts,
} from '../ports.js';
import { systemClock } from '../ports.js';
import { type AwsClientSettings, type AwsClients, createAwsClients } from './client-factory.js';
import { createHttpProbe } from './http-probe.js';

// Adapters are imported where they are first used, not here: each pulls in its SDK client package, and a front
// end should load only the clients it calls (the action measures its time to the first request).
export { type AwsCall, type AwsService, awsErrorName, isAwsError, toRecoveryError } from './aws-errors.js';
export {
  type AwsClientClass,
  type AwsClientConfig,
  type AwsClientSettings,
  type AwsClients,
  type AwsCredentials,
  type AwsStaticCredentials,
  createAwsClients,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from './client-factory.js';
export { createHttpProbe } from './http-probe.js';

export type AwsPortsOptions = (AwsClientSettings | { clients: AwsClients; version?: string }) & {
  clock?: Clock;
};

/**
 * Every port backed by real AWS. Nothing is loaded until a port's first call: then its adapter module (and the SDK
 * client package behind it) is imported, and its client constructed. Building the ports costs nothing, and a
 * command only ever loads and constructs the clients it uses.
 *
 * Pass `clients` to share one set of clients (and their sockets) with other code, e.g. a front end that also
 * needs `clients.client(SNSClient)`; it then owns `clients.destroy()`.
 */
export function createAwsPorts(options: AwsPortsOptions): RecoveryPorts {
  const clients = 'clients' in options ? options.clients : createAwsClients(options);
  const probeOptions = options.version === undefined ? {} : { version: options.version };
  return {
    ec2: deferPort<Ec2Port>(
      async () => (await import('./ec2-adapter.js')).createEc2Adapter(clients),
      EC2_METHODS,
    ),
    commands: deferPort<CommandPort>(
      async () => (await import('./ssm-command-adapter.js')).createSsmCommandAdapter(clients),
      COMMAND_METHODS,
    ),
    metrics: deferPort<MetricsPort>(
      async () => (await import('./cloudwatch-metrics-adapter.js')).createCloudWatchMetricsAdapter(clients),
      METRICS_METHODS,
    ),
    parameters: deferPort<ParameterStorePort>(
      async () => (await import('./parameter-store-adapter.js')).createParameterStoreAdapter(clients),
      PARAMETER_METHODS,
    ),
    http: createHttpProbe(probeOptions),
    clock: options.clock ?? systemClock,
  };
}

/**
 * A port whose adapter is created, once, on the first call of any of its methods. `methods` must name every method
 * of the port (the `satisfies` clauses below make the compiler check that), since the object is built from it.
 */
function deferPort<Port extends object>(load: () => Promise<Port>, methods: Record<keyof Port, true>): Port {
  let loading: Promise<Port> | undefined;
  const port: Partial<Record<keyof Port, unknown>> = {};
  for (const method of Object.keys(methods) as (keyof Port)[]) {
    port[method] = async (...args: unknown[]) => {
      loading ??= load();
      const loaded = await loading;
      return (loaded[method] as (...callArgs: unknown[]) => unknown).apply(loaded, args);
    };
  }
  return port as Port;
}

const EC2_METHODS = {
  describeInstance: true,
  rebootInstance: true,
  stopInstance: true,
  startInstance: true,
  instanceStatusOk: true,
} as const satisfies Record<keyof Ec2Port, true>;

const COMMAND_METHODS = {
  sendCommand: true,
  getInvocation: true,
  cancelCommand: true,
  agentPingStatus: true,
} as const satisfies Record<keyof CommandPort, true>;

const METRICS_METHODS = { getDatapoints: true } as const satisfies Record<keyof MetricsPort, true>;

const PARAMETER_METHODS = {
  get: true,
  create: true,
  overwrite: true,
  delete: true,
} as const satisfies Record<keyof ParameterStorePort, true>;
