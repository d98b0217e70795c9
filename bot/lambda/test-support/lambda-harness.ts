import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import type { RecoveryPorts, Target } from '../../../shared/index.js';
import { createSimulatedCloud, type ScenarioName, type SimulatedCloud } from '../../../shared/sim/index.js';
import { createMemoryLogger, type LogRecord } from '../../logger.js';
import { customPortsProvider } from '../../recovery/ports-provider.js';
import { type FakeSlack, startFakeSlack } from '../../test-support/fake-slack.js';
import { blockActionBody, slashCommandBody } from '../../test-support/slack-requests.js';
import { ALLOWED_USER, OPS_CHANNEL as CHANNEL, INSTANCES, OTHER_USER } from '../../test-support/test-bot.js';
import { lambdaAws } from '../aws.js';
import { createLambdaHandler, type LambdaHandler } from '../handler.js';
import {
  COMMAND_EVENT_KIND,
  type CommandEvent,
  parseCommandEvent,
  parseRunEvent,
  type RunEvent,
} from '../run-event.js';
import { type LambdaSettings, loadLambdaSettings } from '../settings.js';
import { REGION, signedSlackEvent, TOPIC_ARN } from './lambda-events.js';

/**
 * The Lambda handler as AWS runs it, with everything around it local: Slack is a fake that records every call,
 * the instances are the core's simulator (one per target, shared by every "container", as one AWS account is),
 * and the Lambda API is `aws-sdk-client-mock`, whose recorded `Invoke` payloads the test delivers to a worker
 * container itself, as Lambda's asynchronous queue would.
 */

export const SIGNING_SECRET = 'lambda-test-signing-secret-0123456789';
// The server bot's test people, channel and instances, so that both front ends are tested on the same cast.
// Re-exported because the Lambda tests import them from here.
export { ALLOWED_USER, CHANNEL, INSTANCES, OTHER_USER };

/** Timeouts that fit a 900 s function (docs/lambda.md); the simulator's hung instance still recovers within them. */
const FIT =
  'escalate: false\n    timeouts: { start: 120, evidence: 15, reboot: 330, compose: 180, verify: 120 }';
export const LAMBDA_TEST_CONFIG = `
region: ${REGION}
parameterPrefix: /domtory-recovery
targets:
  web:
    instanceId: ${INSTANCES.web}
    compose: { directory: /srv/web }
    policy: auto
    ${FIT}
  api:
    instanceId: ${INSTANCES.api}
    compose: { directory: /srv/api }
    policy: confirm
    ${FIT}
  docs:
    instanceId: ${INSTANCES.docs}
    compose: { directory: /srv/docs }
    policy: notify
    ${FIT}
slack:
  channel: ${CHANNEL}
  allowedUsers: [${ALLOWED_USER}]
`;

export interface HarnessOptions {
  scenario?: ScenarioName;
  config?: string;
  /** Wrap a target's simulated ports (count calls, break one). */
  wrapPorts?: (target: Target, ports: RecoveryPorts) => RecoveryPorts;
  now?: () => number;
}

export interface LambdaHarness {
  settings: LambdaSettings;
  fake: FakeSlack;
  logs: LogRecord[];
  lambda: AwsClientStub<LambdaClient>;
  /** A new execution environment: its own memory, the same account, Slack and logs. */
  container(): LambdaHandler;
  cloud(target: keyof typeof INSTANCES): SimulatedCloud;
  /** The run events handed over so far, in order, as the worker would receive them. */
  handedOver(): RunEvent[];
  /** The slash commands handed over so far, in order, as the worker would receive them. */
  commandsHandedOver(): CommandEvent[];
  slashCommand(
    text: string,
    options?: { user?: string; channel?: string; responseId?: string },
  ): Record<string, unknown>;
  press(
    actionId: string,
    value: string,
    options?: {
      user?: string;
      responseId?: string;
      message?: { ts: string; thread_ts?: string; text?: string; blocks?: unknown[] };
    },
  ): Record<string, unknown>;
  logsOf(event: string): LogRecord[];
  close(): Promise<void>;
}

export async function startLambdaHarness(options: HarnessOptions = {}): Promise<LambdaHarness> {
  const fake = await startFakeSlack();
  const loaded = loadLambdaSettings({
    DOMTORY_CONFIG_YAML: options.config ?? LAMBDA_TEST_CONFIG,
    SLACK_BOT_TOKEN: 'xoxb-lambda-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    AWS_REGION: REGION,
    DOMTORY_FUNCTION_TIMEOUT_SECONDS: '900',
    DOMTORY_ALARM_TOPIC_ARN: TOPIC_ARN,
    DOMTORY_PARAMETER_PREFIX: '/domtory-recovery',
    DOMTORY_INSTANCE_IDS: Object.values(INSTANCES).join(','),
    SLACK_API_URL: fake.apiUrl,
  });
  if (!loaded.ok) throw new Error(`test settings rejected: ${loaded.problems.join('; ')}`);
  const settings = loaded.settings;

  const lambda = mockClient(LambdaClient);
  lambda.on(InvokeCommand).resolves({ StatusCode: 202 });

  const clouds = new Map<string, SimulatedCloud>();
  const cloudOf = (name: string, instanceId: string): SimulatedCloud => {
    let found = clouds.get(name);
    if (found === undefined) {
      found = createSimulatedCloud({ scenario: options.scenario ?? 'clean', instanceId });
      clouds.set(name, found);
    }
    return found;
  };
  const ports = customPortsProvider((target) => {
    const simulated = cloudOf(target.name, target.instanceId).ports;
    return options.wrapPorts === undefined ? simulated : options.wrapPorts(target, simulated);
  });
  const aws = lambdaAws({ region: REGION });
  const { logger, records } = createMemoryLogger('debug');
  let responses = 0;
  const invoked = () =>
    lambda
      .commandCalls(InvokeCommand)
      .map(
        (call) =>
          JSON.parse(new TextDecoder().decode(call.args[0].input.Payload as Uint8Array)) as Record<
            string,
            unknown
          >,
      );

  return {
    settings,
    fake,
    logs: records,
    lambda,
    container: () =>
      createLambdaHandler({
        settings,
        ports,
        handOff: aws.handOff,
        logger,
        slackRetries: 0,
        minUpdateIntervalMs: 10,
        ...(options.now === undefined ? {} : { now: options.now }),
      }),
    cloud: (name) => cloudOf(name, INSTANCES[name]),
    handedOver: () =>
      invoked()
        .filter((payload) => payload.kind !== COMMAND_EVENT_KIND)
        .map((payload) => {
          const parsed = parseRunEvent(payload);
          if (!parsed.ok) throw new Error(`handed over a malformed run event: ${parsed.problem}`);
          return parsed.event;
        }),
    commandsHandedOver: () =>
      invoked()
        .filter((payload) => payload.kind === COMMAND_EVENT_KIND)
        .map((payload) => {
          const parsed = parseCommandEvent(payload);
          if (!parsed.ok) throw new Error(`handed over a malformed command event: ${parsed.problem}`);
          return parsed.event;
        }),
    slashCommand(text, commandOptions = {}) {
      const body = slashCommandBody({
        text,
        userId: commandOptions.user ?? ALLOWED_USER,
        channelId: commandOptions.channel ?? CHANNEL,
        responseUrl: fake.responseUrl(commandOptions.responseId ?? `cmd-${++responses}`),
      });
      return signedSlackEvent(SIGNING_SECRET, body);
    },
    press(actionId, value, pressOptions = {}) {
      const body = blockActionBody({
        actionId,
        value,
        userId: pressOptions.user ?? ALLOWED_USER,
        channelId: CHANNEL,
        responseUrl: fake.responseUrl(pressOptions.responseId ?? `press-${++responses}`),
        ...(pressOptions.message === undefined ? {} : { message: pressOptions.message }),
      });
      return signedSlackEvent(SIGNING_SECRET, body);
    },
    logsOf: (event) => records.filter((record) => record.event === event),
    async close() {
      lambda.restore();
      await fake.close();
    },
  };
}
