import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  composeRunId,
  type NewBootRule,
  parseNewBootRule,
  remoteScriptKind,
} from '../../shared/recovery/remote-scripts.js';
import { DOCTOR_SCRIPT_MARKER } from '../commands/doctor-probe.js';

/**
 * A small stateful AWS on 127.0.0.1 for driving the bundled action the way the runner does: the child process
 * finds it through `AWS_ENDPOINT_URL`, signs with fake keys, and talks each service's real wire protocol as the
 * bundled SDK clients speak it:
 *
 *   EC2         query in, XML out (`xmlns` of 2016-11-15), errors as `<Response><Errors>`
 *   SSM         JSON 1.1 (`X-Amz-Target: AmazonSSM.<Op>`), errors as `{"__type": ...}`
 *   CloudWatch  JSON 1.0 (`X-Amz-Target: GraniteServiceVersion20100801.<Op>`), query-compatible error header
 *   SNS         query in, XML out (`xmlns` of 2010-03-31)
 *
 * Every request is recorded with its service, operation and parsed parameters. The model is just enough for the
 * flows the action runs: an instance whose boot id changes on reboot, SSM commands answered by script kind,
 * Parameter Store with versions and `Overwrite=false`, alarms, topics and subscriptions.
 */

export const FAKE_ACCOUNT = '123456789012';

export type FakeService = 'ec2' | 'ssm' | 'cloudwatch' | 'sns';

export interface RecordedCall {
  service: FakeService;
  action: string;
  params: Record<string, unknown>;
  /** `performance.now()` of this process when the request's body had arrived. */
  at: number;
  /** The SigV4 credential scope's region, as the client signed it. */
  signedRegion: string;
}

export interface FakeInstance {
  instanceId: string;
  state: 'running' | 'stopped' | 'pending' | 'stopping' | 'terminated';
  instanceType: string;
  bootIds: string[];
  bootStartedAt: number;
}

export interface FakeAwsOptions {
  /** IAM actions refused, as `ec2:RebootInstances`, `ssm:SendCommand`. */
  deny?: string[];
  /** Parameters present at start, by name. */
  parameters?: Record<string, string>;
  /** Commands never finish (an overloaded agent): every invocation stays `InProgress`. */
  hangingCommands?: boolean;
}

export interface StoredAlarm extends Record<string, unknown> {
  AlarmName: string;
}

export interface FakeAws {
  url: string;
  calls: RecordedCall[];
  instances: Map<string, FakeInstance>;
  parameters: Map<string, { value: string; version: number }>;
  alarms: Map<string, StoredAlarm>;
  topics: Map<string, { endpoint: string; protocol: string; confirmed: boolean }[]>;
  actions(service?: FakeService): string[];
  callsOf(action: string): RecordedCall[];
  /** Resolves with the first request that arrives from now on. */
  nextRequest(): Promise<RecordedCall>;
  close(): Promise<void>;
}

export const DEFAULT_INSTANCE_ID = 'i-0123456789abcdef0';

interface Reply {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

interface StoredCommand {
  commandId: string;
  instanceId: string;
  stdout: string;
  stderr: string;
  exitCode: number;
}

const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const SNS_XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const STATE_CODES: Record<FakeInstance['state'], number> = {
  pending: 0,
  running: 16,
  stopping: 64,
  stopped: 80,
  terminated: 48,
};

const xml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/**
 * Whether a boot probe's host starts compose: the probe's own test as its shell runs it (see `bootProbeScript`),
 * with `now` and the uptime in whole seconds, as shared/sim/host.ts applies it too.
 */
function isNewBootByRule(
  rule: NewBootRule,
  bootId: string,
  nowSeconds: number,
  uptimeSeconds: number,
): boolean {
  if ('bootIdOtherThan' in rule) return bootId !== rule.bootIdOtherThan;
  return nowSeconds - Math.floor(uptimeSeconds) >= Math.floor(rule.startedAfterEpochSeconds);
}

class AwsFault extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export async function startFakeAws(options: FakeAwsOptions = {}): Promise<FakeAws> {
  const calls: RecordedCall[] = [];
  const waiting: ((call: RecordedCall) => void)[] = [];
  const deny = new Set(options.deny ?? []);
  const instances = new Map<string, FakeInstance>([
    [
      DEFAULT_INSTANCE_ID,
      {
        instanceId: DEFAULT_INSTANCE_ID,
        state: 'running',
        instanceType: 't2.micro',
        bootIds: [randomUUID()],
        bootStartedAt: Date.now() - 3 * 86_400_000,
      },
    ],
  ]);
  const parameters = new Map<string, { value: string; version: number }>();
  for (const [name, value] of Object.entries(options.parameters ?? {}))
    parameters.set(name, { value, version: 1 });
  const alarms = new Map<string, StoredAlarm>();
  const topics = new Map<string, { endpoint: string; protocol: string; confirmed: boolean }[]>();
  const commands = new Map<string, StoredCommand>();
  const composeRuns = new Set<string>();

  const instanceOf = (id: unknown, code = 'InvalidInstanceID.NotFound'): FakeInstance => {
    const instance = instances.get(String(id));
    if (instance === undefined) {
      throw new AwsFault(400, code, `The instance ID '${String(id)}' does not exist`);
    }
    return instance;
  };
  const newBoot = (instance: FakeInstance) => {
    instance.bootIds.push(randomUUID());
    instance.bootStartedAt = Date.now();
  };
  const currentBoot = (instance: FakeInstance) => instance.bootIds.at(-1) ?? '';

  // EC2 -------------------------------------------------------------------------------------------------------

  const listParam = (params: Record<string, unknown>, prefix: string): string[] =>
    Object.entries(params)
      .filter(([key]) => key.startsWith(`${prefix}.`))
      .sort(([a], [b]) => Number(a.split('.')[1]) - Number(b.split('.')[1]))
      .map(([, value]) => String(value));

  function ec2(action: string, params: Record<string, unknown>): string {
    const ids = listParam(params, 'InstanceId');
    const dryRun = params.DryRun === 'true';
    if (deny.has(`ec2:${action}`)) {
      throw new AwsFault(403, 'UnauthorizedOperation', 'You are not authorized to perform this operation.');
    }
    if (dryRun) {
      for (const id of ids) instanceOf(id);
      throw new AwsFault(412, 'DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
    }
    const response = (body: string) =>
      `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_XMLNS}"><requestId>${randomUUID()}</requestId>${body}</${action}Response>`;
    const stateXml = (state: FakeInstance['state']) =>
      `<code>${STATE_CODES[state]}</code><name>${state}</name>`;
    switch (action) {
      case 'DescribeInstances': {
        const items = ids.map((id) => {
          const instance = instanceOf(id);
          return `<item><instanceId>${xml(id)}</instanceId><instanceType>${instance.instanceType}</instanceType><instanceState>${stateXml(instance.state)}</instanceState><launchTime>${new Date(instance.bootStartedAt).toISOString()}</launchTime><placement><availabilityZone>ap-northeast-2a</availabilityZone></placement><monitoring><state>disabled</state></monitoring></item>`;
        });
        return response(
          `<reservationSet><item><reservationId>r-0fake</reservationId><ownerId>${FAKE_ACCOUNT}</ownerId><instancesSet>${items.join('')}</instancesSet></item></reservationSet>`,
        );
      }
      case 'RebootInstances':
        for (const id of ids) {
          const instance = instanceOf(id);
          if (instance.state === 'running') newBoot(instance);
        }
        return response('<return>true</return>');
      case 'StopInstances':
      case 'StartInstances': {
        const changes = ids.map((id) => {
          const instance = instanceOf(id);
          const previous = instance.state;
          if (action === 'StopInstances') instance.state = 'stopped';
          else if (previous !== 'running') {
            instance.state = 'running';
            newBoot(instance);
          }
          return `<item><instanceId>${xml(id)}</instanceId><currentState>${stateXml(instance.state)}</currentState><previousState>${stateXml(previous)}</previousState></item>`;
        });
        return response(`<instancesSet>${changes.join('')}</instancesSet>`);
      }
      case 'DescribeInstanceStatus': {
        const items = ids.map((id) => {
          const instance = instanceOf(id);
          return `<item><instanceId>${xml(id)}</instanceId><instanceState>${stateXml(instance.state)}</instanceState><systemStatus><status>ok</status></systemStatus><instanceStatus><status>ok</status></instanceStatus></item>`;
        });
        return response(`<instanceStatusSet>${items.join('')}</instanceStatusSet>`);
      }
      default:
        throw new AwsFault(400, 'InvalidAction', `The fake does not model ec2:${action}`);
    }
  }

  // SSM -------------------------------------------------------------------------------------------------------

  function scriptOutput(instance: FakeInstance, lines: string[]): { stdout: string; exitCode: number } {
    const boot = currentBoot(instance);
    const uptime = ((Date.now() - instance.bootStartedAt) / 1000).toFixed(2);
    const now = Math.floor(Date.now() / 1000);
    const probe = `boot_id=${boot}\nuptime=${uptime}\nnow=${now}\n`;
    if (lines[0] === DOCTOR_SCRIPT_MARKER) {
      return {
        stdout: `${probe}directory=ok\ndocker=present\ndocker_server=27.3.1\ncompose_v2=2.29.7\ncompose_file=compose.yaml\n`,
        exitCode: 0,
      };
    }
    switch (remoteScriptKind(lines)) {
      case 'evidence':
        return {
          stdout: `### boot\n${probe}### top\n    PID USER     %CPU %MEM     ELAPSED COMMAND\n   4242 ubuntu   99.5 12.0    01:02:03 node\n### docker-stats\nweb cpu=99.10% mem=480MiB / 983MiB\n### memory\n               total        used        free\nMem:             983         870          40\n### oom\n`,
          exitCode: 0,
        };
      case 'boot-probe': {
        const runId = composeRunId(lines);
        const rule = parseNewBootRule(lines);
        if (runId === undefined || rule === undefined || !isNewBootByRule(rule, boot, now, Number(uptime))) {
          return { stdout: probe, exitCode: 0 };
        }
        const key = `${boot}/${runId}`;
        const started = composeRuns.has(key) ? 'already-started' : 'started';
        composeRuns.add(key);
        return { stdout: `${probe}compose=${started}\n`, exitCode: 0 };
      }
      case 'compose-up':
      case 'compose-wait':
        return { stdout: ' Container app-web-1  Started\n Container app-db-1  Running\n', exitCode: 0 };
      case 'compose-ps':
        return {
          stdout:
            '{"Service":"web","State":"running","Health":"healthy"}\n{"Service":"db","State":"running","Health":""}\n',
          exitCode: 0,
        };
      default:
        return { stdout: '', exitCode: 0 };
    }
  }

  function ssm(action: string, params: Record<string, unknown>): unknown {
    if (deny.has(`ssm:${action}`)) {
      throw new AwsFault(400, 'AccessDeniedException', `User is not authorized to perform: ssm:${action}`);
    }
    switch (action) {
      case 'SendCommand': {
        const instanceId = String((params.InstanceIds as unknown[] | undefined)?.[0]);
        const instance = instances.get(instanceId);
        if (instance === undefined || instance.state !== 'running') {
          throw new AwsFault(
            400,
            'InvalidInstanceId',
            `Instances [[${instanceId}]] not in a valid state for account ${FAKE_ACCOUNT}`,
          );
        }
        const lines = ((params.Parameters as Record<string, string[]> | undefined)?.commands ?? []).map(
          String,
        );
        const { stdout, exitCode } = scriptOutput(instance, lines);
        const commandId = randomUUID();
        commands.set(commandId, { commandId, instanceId, stdout, stderr: '', exitCode });
        return { Command: { CommandId: commandId, Status: 'Pending', InstanceIds: [instanceId] } };
      }
      case 'GetCommandInvocation': {
        const command = commands.get(String(params.CommandId));
        if (command === undefined) throw new AwsFault(400, 'InvocationDoesNotExist', 'no such invocation');
        const status = options.hangingCommands ? 'InProgress' : command.exitCode === 0 ? 'Success' : 'Failed';
        return {
          CommandId: command.commandId,
          InstanceId: command.instanceId,
          Status: status,
          StatusDetails: status,
          ResponseCode: command.exitCode,
          StandardOutputContent: command.stdout,
          StandardErrorContent: command.stderr,
        };
      }
      case 'CancelCommand':
        return {};
      case 'DescribeInstanceInformation': {
        const filter = (params.Filters as { Key: string; Values: string[] }[] | undefined)?.[0]?.Values ?? [];
        return {
          InstanceInformationList: filter.flatMap((id) => {
            const instance = instances.get(id);
            return instance === undefined
              ? []
              : [
                  {
                    InstanceId: id,
                    PingStatus: instance.state === 'running' ? 'Online' : 'ConnectionLost',
                  },
                ];
          }),
        };
      }
      case 'GetParameter': {
        const name = String(params.Name);
        const stored = parameters.get(name);
        if (stored === undefined)
          throw new AwsFault(400, 'ParameterNotFound', `Parameter ${name} not found.`);
        return { Parameter: { Name: name, Type: 'String', Value: stored.value, Version: stored.version } };
      }
      case 'PutParameter': {
        const name = String(params.Name);
        const existing = parameters.get(name);
        if (existing !== undefined && params.Overwrite !== true) {
          throw new AwsFault(
            400,
            'ParameterAlreadyExists',
            'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
          );
        }
        const version = (existing?.version ?? 0) + 1;
        parameters.set(name, { value: String(params.Value), version });
        return { Version: version, Tier: 'Standard' };
      }
      case 'DeleteParameter': {
        const name = String(params.Name);
        if (!parameters.delete(name))
          throw new AwsFault(400, 'ParameterNotFound', `Parameter ${name} not found.`);
        return {};
      }
      default:
        throw new AwsFault(400, 'InvalidAction', `The fake does not model ssm:${action}`);
    }
  }

  // CloudWatch ------------------------------------------------------------------------------------------------

  const epochSeconds = () => Date.now() / 1000;
  const dimensionsKey = (dimensions: unknown) =>
    JSON.stringify(
      ((dimensions as { Name: string; Value: string }[] | undefined) ?? [])
        .map((d) => `${d.Name}=${d.Value}`)
        .sort(),
    );

  function cloudwatch(action: string, params: Record<string, unknown>): unknown {
    if (deny.has(`cloudwatch:${action}`)) {
      throw new AwsFault(403, 'AccessDenied', `User is not authorized to perform: cloudwatch:${action}`);
    }
    switch (action) {
      case 'DescribeAlarms': {
        const names = params.AlarmNames as string[] | undefined;
        const found = [...alarms.values()].filter(
          (alarm) => names === undefined || names.includes(alarm.AlarmName),
        );
        return { MetricAlarms: found, CompositeAlarms: [] };
      }
      case 'DescribeAlarmsForMetric':
        return {
          MetricAlarms: [...alarms.values()].filter(
            (alarm) =>
              alarm.MetricName === params.MetricName &&
              alarm.Namespace === params.Namespace &&
              dimensionsKey(alarm.Dimensions) === dimensionsKey(params.Dimensions),
          ),
        };
      case 'PutMetricAlarm': {
        const { Tags: _tags, ...definition } = params;
        const name = String(params.AlarmName);
        const previous = alarms.get(name);
        alarms.set(name, {
          ...definition,
          AlarmName: name,
          AlarmArn: `arn:aws:cloudwatch:ap-northeast-2:${FAKE_ACCOUNT}:alarm:${name}`,
          StateValue: previous?.StateValue ?? 'INSUFFICIENT_DATA',
          StateReason: previous?.StateReason ?? 'Unchecked: Initial alarm creation',
          StateUpdatedTimestamp: previous?.StateUpdatedTimestamp ?? epochSeconds(),
          AlarmConfigurationUpdatedTimestamp: epochSeconds(),
        });
        return {};
      }
      case 'DeleteAlarms':
        for (const name of (params.AlarmNames as string[] | undefined) ?? []) alarms.delete(name);
        return {};
      case 'GetMetricStatistics': {
        const statistic = (params.Statistics as string[] | undefined)?.[0] ?? 'Average';
        const value = params.MetricName === 'CPUCreditBalance' ? 0.4 : 99.2;
        const now = Math.floor(epochSeconds() / 300) * 300;
        return {
          Label: params.MetricName,
          Datapoints: [
            {
              Timestamp: now - 600,
              [statistic]: value + 1,
              Unit: params.MetricName === 'CPUUtilization' ? 'Percent' : 'Count',
            },
            {
              Timestamp: now - 300,
              [statistic]: value,
              Unit: params.MetricName === 'CPUUtilization' ? 'Percent' : 'Count',
            },
          ],
        };
      }
      default:
        throw new AwsFault(400, 'InvalidAction', `The fake does not model cloudwatch:${action}`);
    }
  }

  // SNS -------------------------------------------------------------------------------------------------------

  function sns(action: string, params: Record<string, unknown>, region: string): string {
    if (deny.has(`sns:${action}`))
      throw new AwsFault(403, 'AuthorizationError', `not authorized: sns:${action}`);
    const response = (result: string) =>
      `<${action}Response xmlns="${SNS_XMLNS}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
    const topicOf = (arn: unknown) => {
      const subscriptions = topics.get(String(arn));
      if (subscriptions === undefined) throw new AwsFault(404, 'NotFound', 'Topic does not exist');
      return subscriptions;
    };
    switch (action) {
      case 'GetTopicAttributes': {
        const subscriptions = topicOf(params.TopicArn);
        const entry = (key: string, value: string) =>
          `<entry><key>${key}</key><value>${xml(value)}</value></entry>`;
        return response(
          `<Attributes>${entry('TopicArn', String(params.TopicArn))}${entry('SubscriptionsConfirmed', String(subscriptions.filter((s) => s.confirmed).length))}${entry('SubscriptionsPending', String(subscriptions.filter((s) => !s.confirmed).length))}</Attributes>`,
        );
      }
      case 'CreateTopic': {
        const arn = `arn:aws:sns:${region}:${FAKE_ACCOUNT}:${String(params.Name)}`;
        if (!topics.has(arn)) topics.set(arn, []);
        return response(`<TopicArn>${xml(arn)}</TopicArn>`);
      }
      case 'ListSubscriptionsByTopic': {
        const arn = String(params.TopicArn);
        const members = topicOf(arn).map(
          (s, index) =>
            `<member><TopicArn>${xml(arn)}</TopicArn><Protocol>${s.protocol}</Protocol><Endpoint>${xml(s.endpoint)}</Endpoint><Owner>${FAKE_ACCOUNT}</Owner><SubscriptionArn>${s.confirmed ? `${xml(arn)}:sub-${index}` : 'PendingConfirmation'}</SubscriptionArn></member>`,
        );
        return response(`<Subscriptions>${members.join('')}</Subscriptions>`);
      }
      case 'Subscribe': {
        const subscriptions = topicOf(params.TopicArn);
        subscriptions.push({
          endpoint: String(params.Endpoint),
          protocol: String(params.Protocol),
          confirmed: false,
        });
        return response('<SubscriptionArn>pending confirmation</SubscriptionArn>');
      }
      default:
        throw new AwsFault(400, 'InvalidAction', `The fake does not model sns:${action}`);
    }
  }

  // Transport -------------------------------------------------------------------------------------------------

  function errorReply(service: FakeService, fault: AwsFault): Reply {
    switch (service) {
      case 'ec2':
        return {
          status: fault.status,
          contentType: 'text/xml;charset=UTF-8',
          body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${fault.code}</Code><Message>${xml(fault.message)}</Message></Error></Errors><RequestID>${randomUUID()}</RequestID></Response>`,
        };
      case 'sns':
        return {
          status: fault.status,
          contentType: 'text/xml',
          body: `<ErrorResponse xmlns="${SNS_XMLNS}"><Error><Type>Sender</Type><Code>${fault.code}</Code><Message>${xml(fault.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
        };
      case 'ssm':
        return {
          status: fault.status,
          contentType: 'application/x-amz-json-1.1',
          body: JSON.stringify({ __type: fault.code, message: fault.message }),
        };
      case 'cloudwatch':
        return {
          status: fault.status,
          contentType: 'application/x-amz-json-1.0',
          headers: { 'x-amzn-query-error': `${fault.code};Sender` },
          body: JSON.stringify({ __type: `com.amazonaws.cloudwatch#${fault.code}`, message: fault.message }),
        };
    }
  }

  function answer(call: RecordedCall): Reply {
    try {
      switch (call.service) {
        case 'ec2':
          return { status: 200, contentType: 'text/xml;charset=UTF-8', body: ec2(call.action, call.params) };
        case 'sns':
          return {
            status: 200,
            contentType: 'text/xml',
            body: sns(call.action, call.params, call.signedRegion),
          };
        case 'ssm':
          return {
            status: 200,
            contentType: 'application/x-amz-json-1.1',
            body: JSON.stringify(ssm(call.action, call.params)),
          };
        case 'cloudwatch':
          return {
            status: 200,
            contentType: 'application/x-amz-json-1.0',
            body: JSON.stringify(cloudwatch(call.action, call.params)),
          };
      }
    } catch (error) {
      if (error instanceof AwsFault) return errorReply(call.service, error);
      throw error;
    }
  }

  function parse(request: IncomingMessage, body: string): RecordedCall {
    const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/[^/]+\/aws4_request/.exec(
      String(request.headers.authorization ?? ''),
    );
    const signedRegion = scope?.[1] ?? '';
    const at = performance.now();
    const target = request.headers['x-amz-target'];
    if (typeof target === 'string') {
      const [prefix, action = ''] = target.split('.');
      const service: FakeService = prefix === 'AmazonSSM' ? 'ssm' : 'cloudwatch';
      const params = body === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
      return { service, action, params, at, signedRegion };
    }
    const params: Record<string, unknown> = Object.fromEntries(new URLSearchParams(body));
    const action = String(params.Action ?? '');
    const service: FakeService = params.Version === '2010-03-31' ? 'sns' : 'ec2';
    return { service, action, params, at, signedRegion };
  }

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let call: RecordedCall;
      try {
        call = parse(request, Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        response.writeHead(400, { 'content-type': 'text/plain' });
        response.end(`fake AWS could not parse the request: ${String(error)}`);
        return;
      }
      calls.push(call);
      for (const resolve of waiting.splice(0)) resolve(call);
      const reply = answer(call);
      response.writeHead(reply.status, { 'content-type': reply.contentType, ...reply.headers });
      response.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    instances,
    parameters,
    alarms,
    topics,
    actions: (service) =>
      calls.filter((call) => service === undefined || call.service === service).map((call) => call.action),
    callsOf: (action) => calls.filter((call) => call.action === action),
    nextRequest: () => new Promise((resolve) => waiting.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
