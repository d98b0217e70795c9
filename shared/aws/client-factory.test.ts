import { readFileSync } from 'node:fs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type AwsClientConfig,
  type AwsClientSettings,
  createAwsClients,
  DEFAULT_MAX_ATTEMPTS,
} from './client-factory.js';
import { createEc2Adapter } from './ec2-adapter.js';
import { createParameterStoreAdapter } from './parameter-store-adapter.js';
import { createSsmCommandAdapter } from './ssm-command-adapter.js';
import {
  ec2ErrorXml,
  type LocalAwsServer,
  type Responder,
  ssmJson,
  startLocalAwsServer,
} from './test-support/local-aws-server.js';
import { recoveryErrorOf } from './test-support/recovery-error.js';

const TEST_SETTINGS: AwsClientSettings = {
  region: 'ap-northeast-2',
  version: '1.2.3',
  credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
};

const PARAMETER_FOUND = ssmJson(200, {
  Parameter: { Name: '/domtory-recovery/lock/web', Value: 'held-by-run-7', Version: 4, Type: 'String' },
});
const THROTTLED = ssmJson(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });

describe('createAwsClients', () => {
  class RecordingClient {
    static constructed: AwsClientConfig[] = [];
    destroyed = false;
    constructor(config: AwsClientConfig) {
      RecordingClient.constructed.push(config);
    }
    destroy() {
      this.destroyed = true;
    }
  }

  beforeEach(() => {
    RecordingClient.constructed = [];
  });

  it('constructs a client only when it is first asked for, and then reuses it', () => {
    const clients = createAwsClients(TEST_SETTINGS);
    expect(RecordingClient.constructed).toHaveLength(0);

    const first = clients.client(RecordingClient);
    const second = clients.client(RecordingClient);

    expect(second).toBe(first);
    expect(RecordingClient.constructed).toHaveLength(1);
  });

  it('names the release of package.json in the user agent unless told otherwise', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    createAwsClients({ region: 'eu-west-1' }).client(RecordingClient);
    expect(RecordingClient.constructed[0]?.customUserAgent).toEqual([['domtory-recovery', pkg.version]]);
  });

  it('configures region, standard retries, timeouts and the user agent, and never an endpoint', () => {
    createAwsClients({ region: 'eu-west-1', version: '0.4.0' }).client(RecordingClient);

    const config = RecordingClient.constructed[0];
    expect(config).toEqual({
      region: 'eu-west-1',
      retryMode: 'standard',
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
      customUserAgent: [['domtory-recovery', '0.4.0']],
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000, throwOnRequestTimeout: true },
    });
    // No credentials key at all: the SDK's default provider chain must stay in charge.
    expect(config).not.toHaveProperty('credentials');
    expect(config).not.toHaveProperty('endpoint');
  });

  it('destroys every client it created, and creates a fresh one afterwards', () => {
    const clients = createAwsClients(TEST_SETTINGS);
    const before = clients.client(RecordingClient);

    clients.destroy();

    expect(before.destroyed).toBe(true);
    expect(clients.client(RecordingClient)).not.toBe(before);
  });
});

describe('clients against a local endpoint (real SDK stack)', () => {
  let server: LocalAwsServer | undefined;
  const clientsToDestroy: { destroy(): void }[] = [];

  async function serve(respond: Responder): Promise<LocalAwsServer> {
    server = await startLocalAwsServer(respond);
    return server;
  }

  function parametersVia(settings: Partial<AwsClientSettings> = {}) {
    const clients = createAwsClients({ ...TEST_SETTINGS, ...settings });
    clientsToDestroy.push(clients);
    return createParameterStoreAdapter(clients);
  }

  beforeEach(() => {
    // The SDK's backoff is `random() × base × 2^attempt` with a 1 s base for throttling; pinning random() to
    // zero keeps the real retry strategy (attempt counting, error classification) while removing the waiting.
    vi.spyOn(Math, 'random').mockReturnValue(0);
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    for (const clients of clientsToDestroy.splice(0)) clients.destroy();
    await server?.close();
    server = undefined;
  });

  it('sends requests to AWS_ENDPOINT_URL, with the domtory-recovery user agent', async () => {
    const local = await serve(() => PARAMETER_FOUND);
    vi.stubEnv('AWS_ENDPOINT_URL', local.url);

    const parameter = await parametersVia().get('/domtory-recovery/lock/web');

    expect(parameter).toEqual({ value: 'held-by-run-7', version: 4 });
    expect(local.requests).toHaveLength(1);
    expect(local.requests[0]?.headers['x-amz-target']).toBe('AmazonSSM.GetParameter');
    expect(JSON.parse(local.requests[0]?.body ?? '{}')).toEqual({ Name: '/domtory-recovery/lock/web' });
    expect(local.requests[0]?.headers['user-agent']).toContain('domtory-recovery/1.2.3');
  });

  it('honours the per-service AWS_ENDPOINT_URL_SSM as well', async () => {
    const local = await serve(() => PARAMETER_FOUND);
    vi.stubEnv('AWS_ENDPOINT_URL_SSM', local.url);

    await parametersVia().get('/domtory-recovery/lock/web');

    expect(local.requests).toHaveLength(1);
  });

  it('retries throttling twice and returns the value of the third attempt', async () => {
    const local = await serve((_request, index) => (index < 2 ? THROTTLED : PARAMETER_FOUND));
    vi.stubEnv('AWS_ENDPOINT_URL', local.url);

    const parameter = await parametersVia().get('/domtory-recovery/lock/web');

    expect(parameter).toEqual({ value: 'held-by-run-7', version: 4 });
    expect(local.requests).toHaveLength(3);
    expect(local.requests.map((request) => request.headers['x-amz-target'])).toEqual([
      'AmazonSSM.GetParameter',
      'AmazonSSM.GetParameter',
      'AmazonSSM.GetParameter',
    ]);
  });

  it(`gives up after ${DEFAULT_MAX_ATTEMPTS} throttled attempts and reports "throttled"`, async () => {
    const local = await serve(() => THROTTLED);
    vi.stubEnv('AWS_ENDPOINT_URL', local.url);

    const error = await recoveryErrorOf(parametersVia().get('/domtory-recovery/lock/web'));

    expect(error.code).toBe('throttled');
    expect(error.message).toContain('ssm:GetParameter');
    expect(error.message).toContain(`after ${DEFAULT_MAX_ATTEMPTS} attempts`);
    expect(local.requests).toHaveLength(DEFAULT_MAX_ATTEMPTS);
  });

  it('passes maxAttempts through to the SDK', async () => {
    const local = await serve(() => THROTTLED);
    vi.stubEnv('AWS_ENDPOINT_URL', local.url);

    await recoveryErrorOf(parametersVia({ maxAttempts: 2 }).get('/domtory-recovery/lock/web'));

    expect(local.requests).toHaveLength(2);
  });

  it('abandons an attempt that gets no answer within the request timeout, and retries it', async () => {
    const local = await serve(() => 'hang');
    vi.stubEnv('AWS_ENDPOINT_URL', local.url);

    const error = await recoveryErrorOf(
      parametersVia({ maxAttempts: 2, requestTimeoutMs: 100 }).get('/domtory-recovery/lock/web'),
    );

    expect(error.code).toBe('aws-error');
    expect(error.message).toContain('TimeoutError');
    expect(local.requests).toHaveLength(2);
  });

  it('treats the DryRunOperation error EC2 sends on the wire as a successful dry run', async () => {
    const local = await serve(() =>
      ec2ErrorXml(412, 'DryRunOperation', 'Request would have succeeded, but DryRun flag is set.'),
    );
    vi.stubEnv('AWS_ENDPOINT_URL', local.url);
    const clients = createAwsClients(TEST_SETTINGS);
    clientsToDestroy.push(clients);

    await createEc2Adapter(clients).rebootInstance('i-0123456789abcdef0', { dryRun: true });

    const body = new URLSearchParams(local.requests[0]?.body);
    expect(body.get('Action')).toBe('RebootInstances');
    expect(body.get('DryRun')).toBe('true');
    expect(body.get('InstanceId.1')).toBe('i-0123456789abcdef0');
    expect(clients.client(EC2Client)).toBeInstanceOf(EC2Client);
  });

  it('maps an UnauthorizedOperation from the wire to permission-denied naming the IAM action', async () => {
    const local = await serve(() =>
      ec2ErrorXml(403, 'UnauthorizedOperation', 'You are not authorized to perform this operation.'),
    );
    vi.stubEnv('AWS_ENDPOINT_URL', local.url);
    const clients = createAwsClients(TEST_SETTINGS);
    clientsToDestroy.push(clients);

    const error = await recoveryErrorOf(
      createEc2Adapter(clients).stopInstance('i-0123456789abcdef0', { dryRun: true, force: false }),
    );

    expect(error.code).toBe('permission-denied');
    expect(error.fix).toContain('ec2:StopInstances');
    expect(error.fix).toContain('i-0123456789abcdef0');
  });

  it("maps SSM's InvalidInstanceId from the wire to ssm-unreachable", async () => {
    const local = await serve(() =>
      ssmJson(400, {
        __type: 'InvalidInstanceId',
        Message: 'Instances [[i-0123456789abcdef0]] not in a valid state for account 123456789012',
      }),
    );
    vi.stubEnv('AWS_ENDPOINT_URL', local.url);
    const clients = createAwsClients(TEST_SETTINGS);
    clientsToDestroy.push(clients);

    const error = await recoveryErrorOf(
      createSsmCommandAdapter(clients).sendCommand({
        instanceId: 'i-0123456789abcdef0',
        commands: ['true'],
        deliveryTimeoutSeconds: 30,
        executionTimeoutSeconds: 60,
        comment: 'test',
      }),
    );

    expect(error.code).toBe('ssm-unreachable');
    expect(error.message).toContain('not in a valid state');
    expect(clients.client(SSMClient)).toBeInstanceOf(SSMClient);
  });
});
