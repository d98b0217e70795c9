import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsClients } from '../../shared/aws/client-factory.js';

/**
 * The hand-off's one AWS call: an asynchronous (`Event`) invocation of this very function. Loaded on the first
 * hand-off only, so invocations that never hand over (SNS, the worker) never load the Lambda client.
 */
export async function invokeAsync(clients: AwsClients, functionArn: string, payload: unknown): Promise<void> {
  const output = await clients.client(LambdaClient).send(
    new InvokeCommand({
      FunctionName: functionArn,
      InvocationType: 'Event',
      Payload: new TextEncoder().encode(JSON.stringify(payload)),
    }),
  );
  // 202 means Lambda queued it; anything else means the worker will never run.
  if (output.StatusCode !== 202)
    throw new Error(`lambda:InvokeFunction answered ${String(output.StatusCode)}, not 202`);
}
