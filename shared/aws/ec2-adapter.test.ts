import {
  DescribeInstanceStatusCommand,
  DescribeInstancesCommand,
  EC2Client,
  EC2ServiceException,
  RebootInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients } from './client-factory.js';
import { createEc2Adapter } from './ec2-adapter.js';
import { recoveryErrorOf } from './test-support/recovery-error.js';

const INSTANCE_ID = 'i-0123456789abcdef0';
const ec2Mock = mockClient(EC2Client);

function ec2Error(name: string, message: string, status = 400): EC2ServiceException {
  return new EC2ServiceException({ name, $fault: 'client', message, $metadata: { httpStatusCode: status } });
}

const dryRunSucceeded = () =>
  ec2Error('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
const unauthorized = () =>
  ec2Error('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403);

function adapter() {
  return createEc2Adapter(createAwsClients({ region: 'ap-northeast-2' }));
}

beforeEach(() => {
  ec2Mock.reset();
});

afterAll(() => {
  ec2Mock.restore();
});

describe('describeInstance', () => {
  it('asks for the one instance and translates its description', async () => {
    const launchTime = new Date('2026-03-01T10:00:00Z');
    ec2Mock.on(DescribeInstancesCommand).resolves({
      Reservations: [
        {
          Instances: [
            {
              InstanceId: INSTANCE_ID,
              State: { Name: 'running', Code: 16 },
              InstanceType: 't3.small',
              LaunchTime: launchTime,
              Placement: { AvailabilityZone: 'ap-northeast-2a' },
            },
          ],
        },
      ],
    });

    const description = await adapter().describeInstance(INSTANCE_ID);

    expect(ec2Mock.commandCalls(DescribeInstancesCommand)[0]?.args[0].input).toEqual({
      InstanceIds: [INSTANCE_ID],
    });
    expect(description).toEqual({
      instanceId: INSTANCE_ID,
      state: 'running',
      instanceType: 't3.small',
      launchTime,
      availabilityZone: 'ap-northeast-2a',
    });
  });

  it('leaves out what EC2 did not say', async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves({
      Reservations: [{ Instances: [{ InstanceId: INSTANCE_ID, State: { Name: 'stopped' } }] }],
    });

    const description = await adapter().describeInstance(INSTANCE_ID);

    expect(description).toEqual({ instanceId: INSTANCE_ID, state: 'stopped', instanceType: 'unknown' });
    expect(description).not.toHaveProperty('launchTime');
  });

  it('is undefined when EC2 does not know the instance', async () => {
    ec2Mock
      .on(DescribeInstancesCommand)
      .rejects(ec2Error('InvalidInstanceID.NotFound', `The instance ID '${INSTANCE_ID}' does not exist`));

    await expect(adapter().describeInstance(INSTANCE_ID)).resolves.toBeUndefined();
  });

  it('is undefined when the answer holds no such instance', async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [] });

    await expect(adapter().describeInstance(INSTANCE_ID)).resolves.toBeUndefined();
  });

  it('reports a malformed id as instance-not-found', async () => {
    ec2Mock
      .on(DescribeInstancesCommand)
      .rejects(ec2Error('InvalidInstanceID.Malformed', 'Invalid id: "i-nope"'));

    const error = await recoveryErrorOf(adapter().describeInstance('i-nope'));

    expect(error.code).toBe('instance-not-found');
    expect(error.message).toContain('ap-northeast-2');
  });

  it('reports a state it does not know instead of guessing', async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves({
      Reservations: [{ Instances: [{ InstanceId: INSTANCE_ID, State: {} }] }],
    });

    const error = await recoveryErrorOf(adapter().describeInstance(INSTANCE_ID));

    expect(error.code).toBe('aws-error');
  });
});

describe.each([
  {
    method: 'rebootInstance',
    command: RebootInstancesCommand,
    permission: 'ec2:RebootInstances',
    run: (dryRun: boolean) => adapter().rebootInstance(INSTANCE_ID, { dryRun }),
    extraInput: {},
  },
  {
    method: 'stopInstance',
    command: StopInstancesCommand,
    permission: 'ec2:StopInstances',
    run: (dryRun: boolean) => adapter().stopInstance(INSTANCE_ID, { dryRun, force: true }),
    extraInput: { Force: true },
  },
  {
    method: 'startInstance',
    command: StartInstancesCommand,
    permission: 'ec2:StartInstances',
    run: (dryRun: boolean) => adapter().startInstance(INSTANCE_ID, { dryRun }),
    extraInput: {},
  },
] as const)('$method', ({ command, permission, run, extraInput }) => {
  it('sends the instance id and the DryRun flag', async () => {
    ec2Mock.on(command).resolves({});

    await run(false);

    expect(ec2Mock.commandCalls(command)[0]?.args[0].input).toEqual({
      InstanceIds: [INSTANCE_ID],
      DryRun: false,
      ...extraInput,
    });
  });

  it('treats DryRunOperation as a successful dry run', async () => {
    ec2Mock.on(command).rejects(dryRunSucceeded());

    await expect(run(true)).resolves.toBeUndefined();
    expect(ec2Mock.commandCalls(command)[0]?.args[0].input).toMatchObject({ DryRun: true });
  });

  it('does not take DryRunOperation for success when no dry run was asked for', async () => {
    ec2Mock.on(command).rejects(dryRunSucceeded());

    const error = await recoveryErrorOf(run(false));

    expect(error.code).toBe('aws-error');
  });

  it(`maps UnauthorizedOperation on a dry run to permission-denied naming ${permission}`, async () => {
    ec2Mock.on(command).rejects(unauthorized());

    const error = await recoveryErrorOf(run(true));

    expect(error.code).toBe('permission-denied');
    expect(error.message).toContain(permission);
    expect(error.message).toContain('dry run');
    expect(error.fix).toContain(`Allow ${permission} on instance ${INSTANCE_ID}`);
    expect(error.cause).toBeInstanceOf(EC2ServiceException);
  });

  it('maps RequestLimitExceeded to throttled', async () => {
    ec2Mock.on(command).rejects(ec2Error('RequestLimitExceeded', 'Request limit exceeded.', 503));

    const error = await recoveryErrorOf(run(false));

    expect(error.code).toBe('throttled');
  });

  it('keeps the call, the resource and the EC2 error in anything else', async () => {
    ec2Mock
      .on(command)
      .rejects(
        ec2Error(
          'IncorrectInstanceState',
          `The instance '${INSTANCE_ID}' is not in a state from which it can be started.`,
        ),
      );

    const error = await recoveryErrorOf(run(false));

    expect(error.code).toBe('aws-error');
    expect(error.message).toContain(permission);
    expect(error.message).toContain(INSTANCE_ID);
    expect(error.message).toContain('IncorrectInstanceState');
  });
});

describe('instanceStatusOk', () => {
  it('asks about all instances, running or not', async () => {
    ec2Mock.on(DescribeInstanceStatusCommand).resolves({ InstanceStatuses: [] });

    await adapter().instanceStatusOk(INSTANCE_ID);

    expect(ec2Mock.commandCalls(DescribeInstanceStatusCommand)[0]?.args[0].input).toEqual({
      InstanceIds: [INSTANCE_ID],
      IncludeAllInstances: true,
    });
  });

  it.each([
    { instance: 'ok', system: 'ok', expected: true },
    { instance: 'initializing', system: 'ok', expected: false },
    { instance: 'ok', system: 'impaired', expected: false },
    { instance: 'not-applicable', system: 'not-applicable', expected: false },
  ] as const)('instance $instance / system $system → $expected', async ({ instance, system, expected }) => {
    ec2Mock.on(DescribeInstanceStatusCommand).resolves({
      InstanceStatuses: [
        { InstanceId: INSTANCE_ID, InstanceStatus: { Status: instance }, SystemStatus: { Status: system } },
      ],
    });

    await expect(adapter().instanceStatusOk(INSTANCE_ID)).resolves.toBe(expected);
  });

  it('is false while EC2 has no status for the instance', async () => {
    ec2Mock.on(DescribeInstanceStatusCommand).resolves({});

    await expect(adapter().instanceStatusOk(INSTANCE_ID)).resolves.toBe(false);
  });

  it('maps a missing instance to instance-not-found', async () => {
    ec2Mock
      .on(DescribeInstanceStatusCommand)
      .rejects(ec2Error('InvalidInstanceID.NotFound', `The instance ID '${INSTANCE_ID}' does not exist`));

    const error = await recoveryErrorOf(adapter().instanceStatusOk(INSTANCE_ID));

    expect(error.code).toBe('instance-not-found');
  });
});
