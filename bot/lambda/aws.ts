import { type AwsClients, createAwsClients } from '../../shared/aws/client-factory.js';
import type { RecoveryPorts } from '../../shared/index.js';
import type { PortsProvider } from '../recovery/ports-provider.js';
import type { HandOff } from './dispatching-service.js';

/**
 * Real AWS for the function: one client factory per region (its clients keep their sockets across warm
 * invocations), the recovery ports, and the hand-off. The adapters and the Lambda client are imported on first
 * use, so an invocation loads only the SDK packages it calls: a slash command that only prints help loads none.
 */
export interface LambdaAws {
  ports: PortsProvider;
  /** `functionArn` is read at each hand-off: it is the ARN of the invocation that hands over. */
  handOff(functionArn: () => string): HandOff;
}

export function lambdaAws(options: { region: string; version: string }): LambdaAws {
  const clientsByRegion = new Map<string, AwsClients>();
  const clients = (region: string): AwsClients => {
    let found = clientsByRegion.get(region);
    if (found === undefined) {
      found = createAwsClients({ region, version: options.version });
      clientsByRegion.set(region, found);
    }
    return found;
  };
  const portsByRegion = new Map<string, Promise<RecoveryPorts>>();
  return {
    ports: {
      kind: 'aws',
      portsFor(target) {
        let ports = portsByRegion.get(target.region);
        if (ports === undefined) {
          const regionClients = clients(target.region);
          ports = import('../../shared/aws/index.js').then(({ createAwsPorts }) =>
            createAwsPorts({ clients: regionClients, version: options.version }),
          );
          portsByRegion.set(target.region, ports);
        }
        return ports;
      },
    },
    handOff(functionArn) {
      return async (event) => {
        const { invokeAsync } = await import('./lambda-invoker.js');
        await invokeAsync(clients(options.region), functionArn(), event);
      };
    },
  };
}
