import { type AwsClients, createAwsClients } from '../../shared/aws/client-factory.js';
import { awsPortsProvider, type PortsProvider } from '../recovery/ports-provider.js';
import type { HandOff } from './dispatching-service.js';

/**
 * Real AWS for the function: the recovery ports (the server's own provider: one set per region, kept across warm
 * invocations) and the hand-off. The adapters and the Lambda client are imported on first use, so an invocation
 * loads only the SDK packages it calls: a slash command that only prints help loads none.
 */
export interface LambdaAws {
  ports: PortsProvider;
  /** `functionArn` is read at each hand-off: it is the ARN of the invocation that hands over. */
  handOff(functionArn: () => string): HandOff;
}

export function lambdaAws(options: { region: string }): LambdaAws {
  // Created on the first hand-off, then kept with its sockets: SNS and worker invocations never construct it.
  let handOffClients: AwsClients | undefined;
  return {
    ports: awsPortsProvider(),
    handOff(functionArn) {
      return async (event) => {
        const { invokeAsync } = await import('./lambda-invoker.js');
        handOffClients ??= createAwsClients({ region: options.region });
        await invokeAsync(handOffClients, functionArn(), event);
      };
    },
  };
}
