import { type Clock, type RecoveryPorts, systemClock } from '../ports.js';
import { type AwsClientSettings, type AwsClients, createAwsClients } from './client-factory.js';
import { createCloudWatchMetricsAdapter } from './cloudwatch-metrics-adapter.js';
import { createEc2Adapter } from './ec2-adapter.js';
import { createHttpProbe } from './http-probe.js';
import { createParameterStoreAdapter } from './parameter-store-adapter.js';
import { createSsmCommandAdapter } from './ssm-command-adapter.js';

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
export { createCloudWatchMetricsAdapter } from './cloudwatch-metrics-adapter.js';
export { createEc2Adapter } from './ec2-adapter.js';
export { createHttpProbe } from './http-probe.js';
export { createParameterStoreAdapter } from './parameter-store-adapter.js';
export { createSsmCommandAdapter } from './ssm-command-adapter.js';

export type AwsPortsOptions = (AwsClientSettings | { clients: AwsClients; version?: string }) & {
  clock?: Clock;
};

/**
 * Every port backed by real AWS. No client exists until a port makes its first call, so building the ports
 * costs nothing and a command only ever constructs the clients it uses.
 *
 * Pass `clients` to share one set of clients (and their sockets) with other code, e.g. a front end that also
 * needs `clients.client(SNSClient)`; it then owns `clients.destroy()`.
 */
export function createAwsPorts(options: AwsPortsOptions): RecoveryPorts {
  const clients = 'clients' in options ? options.clients : createAwsClients(options);
  const probeOptions = options.version === undefined ? {} : { version: options.version };
  return {
    ec2: createEc2Adapter(clients),
    commands: createSsmCommandAdapter(clients),
    metrics: createCloudWatchMetricsAdapter(clients),
    parameters: createParameterStoreAdapter(clients),
    http: createHttpProbe(probeOptions),
    clock: options.clock ?? systemClock,
  };
}
