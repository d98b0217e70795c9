import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetParameterCommand, ParameterNotFound, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DOMTORY_VERSION } from '../../shared/index.js';
import { createMemoryLogger } from '../logger.js';
import { ACTION, encodeValue } from '../slack/ids.js';
import { type FakeSlack, startFakeSlack } from '../test-support/fake-slack.js';
import { blockActionBody, slashCommandBody } from '../test-support/slack-requests.js';
import { lambdaAws } from './aws.js';
import { createLambdaHandler } from './handler.js';
import { loadLambdaSettings } from './settings.js';
import { FUNCTION_ARN, lambdaContext, REGION, signedSlackEvent } from './test-support/lambda-events.js';
import { INSTANCES, LAMBDA_TEST_CONFIG, SIGNING_SECRET } from './test-support/lambda-harness.js';

/**
 * The production wiring (`lambdaAws`: the real adapters behind the ports, the real Lambda client behind the
 * hand-off) with the SDK mocked at the client, so what reaches AWS is exactly what the SDK would send.
 */

/** What the function's requests carry in their user agent, so that CloudTrail shows which release rebooted. */
const USER_AGENT = [['domtory-recovery', DOMTORY_VERSION]];

const ssm = mockClient(SSMClient);
const lambda = mockClient(LambdaClient);
let fake: FakeSlack;
beforeEach(async () => {
  ssm.reset();
  lambda.reset();
  fake = await startFakeSlack();
});
afterEach(async () => {
  await fake.close();
});

function handler() {
  const loaded = loadLambdaSettings({
    DOMTORY_CONFIG_YAML: LAMBDA_TEST_CONFIG,
    SLACK_BOT_TOKEN: 'xoxb-aws-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    AWS_REGION: REGION,
    DOMTORY_FUNCTION_TIMEOUT_SECONDS: '900',
    SLACK_API_URL: fake.apiUrl,
  });
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  const aws = lambdaAws({ region: REGION });
  return createLambdaHandler({
    settings: loaded.settings,
    ports: aws.ports,
    handOff: aws.handOff,
    logger: createMemoryLogger('debug').logger,
    slackRetries: 0,
  });
}

it('answers /domtory restart from the lock in Parameter Store, through the real adapter', async () => {
  ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
  const body = slashCommandBody({
    text: 'restart web',
    userId: 'U0ALLOWED',
    channelId: 'C0OPS',
    responseUrl: fake.responseUrl('prompt'),
  });
  const response = (await handler()(signedSlackEvent(SIGNING_SECRET, body), lambdaContext())) as {
    statusCode: number;
  };
  expect(response.statusCode).toBe(200);
  expect(ssm.commandCalls(GetParameterCommand).map((call) => call.args[0].input)).toEqual([
    { Name: `/domtory-recovery/${INSTANCES.web}/lock` },
  ]);
  const client = ssm.call(0).thisValue as SSMClient;
  expect(client.config.customUserAgent).toEqual(USER_AGENT);
  expect(await client.config.region()).toBe(REGION);
  // Reading is all a Slack invocation does with Parameter Store: the lock is taken by the worker.
  expect(ssm.commandCalls(PutParameterCommand)).toEqual([]);
  expect(JSON.stringify(fake.responses.find((r) => r.id === 'prompt')?.body)).toContain(
    ACTION.restartConfirm,
  );
});

it("hands over with one asynchronous Invoke of the function itself, in the function's region", async () => {
  lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
  const body = blockActionBody({
    actionId: ACTION.restartConfirm,
    value: encodeValue({ target: 'web' }),
    userId: 'U0ALLOWED',
    channelId: 'C0OPS',
    responseUrl: fake.responseUrl('confirm'),
  });
  await handler()(
    signedSlackEvent(SIGNING_SECRET, body),
    lambdaContext({ functionArn: `${FUNCTION_ARN}:$LATEST` }),
  );
  const calls = lambda.commandCalls(InvokeCommand);
  expect(calls).toHaveLength(1);
  expect(calls[0]?.args[0].input).toMatchObject({ FunctionName: FUNCTION_ARN, InvocationType: 'Event' });
  const client = lambda.call(0).thisValue as LambdaClient;
  expect(await client.config.region()).toBe(REGION);
  expect(client.config.customUserAgent).toEqual(USER_AGENT);
  expect(ssm.calls()).toEqual([]);
});

it('reports a hand-off Lambda did not queue (anything but 202) as failed', async () => {
  lambda.on(InvokeCommand).resolves({ StatusCode: 200 });
  const body = blockActionBody({
    actionId: ACTION.restartConfirm,
    value: encodeValue({ target: 'web' }),
    userId: 'U0ALLOWED',
    channelId: 'C0OPS',
    responseUrl: fake.responseUrl('confirm'),
  });
  await handler()(signedSlackEvent(SIGNING_SECRET, body), lambdaContext());
  expect(
    fake.callsOf('chat.postMessage').some((p) => String(p.args.text).includes('could not be started')),
  ).toBe(true);
});
