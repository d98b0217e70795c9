import {
  CancelCommandCommand,
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  InvalidCommandId,
  InvalidInstanceId,
  InvocationDoesNotExist,
  SendCommandCommand,
  SSMClient,
  SSMServiceException,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { SendCommandRequest } from '../ports.js';
import { createAwsClients } from './client-factory.js';
import { createSsmCommandAdapter } from './ssm-command-adapter.js';
import { recoveryErrorOf } from './test-support/recovery-error.js';

const INSTANCE_ID = 'i-0123456789abcdef0';
const COMMAND_ID = '3f1c2b7e-0d5a-4c8e-9f6b-2a1d4e5c6b7a';
const ssmMock = mockClient(SSMClient);

const REQUEST: SendCommandRequest = {
  instanceId: INSTANCE_ID,
  commands: ['# domtory-recovery:boot-probe', 'cat /proc/sys/kernel/random/boot_id'],
  workingDirectory: '/srv/app',
  deliveryTimeoutSeconds: 90,
  executionTimeoutSeconds: 45,
  comment: 'domtory-recovery boot probe for web',
};

const notValidState = () =>
  new InvalidInstanceId({
    message: `Instances [[${INSTANCE_ID}]] not in a valid state for account 123456789012`,
    $metadata: { httpStatusCode: 400 },
  });

function adapter() {
  return createSsmCommandAdapter(createAwsClients({ region: 'ap-northeast-2' }));
}

function sentInput() {
  return ssmMock.commandCalls(SendCommandCommand)[0]?.args[0].input;
}

beforeEach(() => {
  ssmMock.reset();
});

afterAll(() => {
  ssmMock.restore();
});

describe('sendCommand', () => {
  it('runs the lines through AWS-RunShellScript with both timeouts and returns the command id', async () => {
    ssmMock.on(SendCommandCommand).resolves({ Command: { CommandId: COMMAND_ID } });

    const sent = await adapter().sendCommand(REQUEST);

    expect(sent).toEqual({ commandId: COMMAND_ID });
    expect(sentInput()).toEqual({
      InstanceIds: [INSTANCE_ID],
      DocumentName: 'AWS-RunShellScript',
      Parameters: {
        commands: REQUEST.commands,
        workingDirectory: ['/srv/app'],
        executionTimeout: ['45'],
      },
      TimeoutSeconds: 90,
      Comment: 'domtory-recovery boot probe for web',
    });
  });

  it('raises the delivery timeout to the 30 s SSM accepts at least', async () => {
    ssmMock.on(SendCommandCommand).resolves({ Command: { CommandId: COMMAND_ID } });

    await adapter().sendCommand({ ...REQUEST, deliveryTimeoutSeconds: 5 });

    expect(sentInput()?.TimeoutSeconds).toBe(30);
  });

  it('leaves workingDirectory out when none is given', async () => {
    ssmMock.on(SendCommandCommand).resolves({ Command: { CommandId: COMMAND_ID } });
    const { workingDirectory: _ignored, ...withoutDirectory } = REQUEST;

    await adapter().sendCommand(withoutDirectory);

    expect(sentInput()?.Parameters).not.toHaveProperty('workingDirectory');
  });

  it('cuts the comment to the 100 characters SSM accepts', async () => {
    ssmMock.on(SendCommandCommand).resolves({ Command: { CommandId: COMMAND_ID } });

    await adapter().sendCommand({ ...REQUEST, comment: 'x'.repeat(150) });

    const comment = sentInput()?.Comment ?? '';
    expect(comment).toHaveLength(100);
    expect(comment.endsWith('…')).toBe(true);
  });

  it('maps InvalidInstanceId to ssm-unreachable with the instance profile fix', async () => {
    ssmMock.on(SendCommandCommand).rejects(notValidState());

    const error = await recoveryErrorOf(adapter().sendCommand(REQUEST));

    expect(error.code).toBe('ssm-unreachable');
    expect(error.message).toContain(INSTANCE_ID);
    expect(error.fix).toContain('AmazonSSMManagedInstanceCore');
    expect(error.fix).toContain('instance profile');
    expect(error.fix).toContain('describe-instance-information');
    expect(error.fix).toContain('after a reboot');
    expect(error.cause).toBeInstanceOf(InvalidInstanceId);
  });

  it('names ssm:SendCommand and both resources it needs when access is denied', async () => {
    ssmMock.on(SendCommandCommand).rejects(
      new SSMServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        message:
          'User: arn:aws:sts::123456789012:assumed-role/ci/gh is not authorized to perform: ssm:SendCommand',
        $metadata: { httpStatusCode: 400 },
      }),
    );

    const error = await recoveryErrorOf(adapter().sendCommand(REQUEST));

    expect(error.code).toBe('permission-denied');
    expect(error.fix).toContain('ssm:SendCommand');
    expect(error.fix).toContain(`instance ${INSTANCE_ID}`);
    expect(error.fix).toContain('document AWS-RunShellScript');
  });

  it('reports an answer without a command id', async () => {
    ssmMock.on(SendCommandCommand).resolves({});

    const error = await recoveryErrorOf(adapter().sendCommand(REQUEST));

    expect(error.code).toBe('aws-error');
  });
});

describe('getInvocation', () => {
  it('is undefined while SSM does not know the invocation yet, then returns it', async () => {
    ssmMock
      .on(GetCommandInvocationCommand)
      .rejectsOnce(new InvocationDoesNotExist({ message: '', $metadata: {} }))
      .resolves({
        CommandId: COMMAND_ID,
        InstanceId: INSTANCE_ID,
        Status: 'Success',
        StatusDetails: 'Success',
        ResponseCode: 0,
        StandardOutputContent: 'boot_id=abc\n',
        StandardErrorContent: '',
      });
    const commands = adapter();

    await expect(commands.getInvocation(COMMAND_ID, INSTANCE_ID)).resolves.toBeUndefined();
    const invocation = await commands.getInvocation(COMMAND_ID, INSTANCE_ID);

    expect(invocation).toEqual({
      commandId: COMMAND_ID,
      status: 'Success',
      exitCode: 0,
      stdout: 'boot_id=abc\n',
      stderr: '',
    });
    expect(ssmMock.commandCalls(GetCommandInvocationCommand)[1]?.args[0].input).toEqual({
      CommandId: COMMAND_ID,
      InstanceId: INSTANCE_ID,
    });
  });

  it('gives empty output and no exit code while the command runs', async () => {
    ssmMock.on(GetCommandInvocationCommand).resolves({ Status: 'InProgress', StatusDetails: 'InProgress' });

    const invocation = await adapter().getInvocation(COMMAND_ID, INSTANCE_ID);

    expect(invocation).toEqual({ commandId: COMMAND_ID, status: 'InProgress', stdout: '', stderr: '' });
  });

  it.each(['Undeliverable', 'Terminated'] as const)(
    'takes %s from StatusDetails, where SSM reports it',
    async (details) => {
      ssmMock
        .on(GetCommandInvocationCommand)
        .resolves({ Status: 'Failed', StatusDetails: details, ResponseCode: -1 });

      const invocation = await adapter().getInvocation(COMMAND_ID, INSTANCE_ID);

      expect(invocation?.status).toBe(details);
    },
  );

  it('reports a status it does not know instead of guessing', async () => {
    ssmMock.on(GetCommandInvocationCommand).resolves({ Status: 'Exploded' as never });

    const error = await recoveryErrorOf(adapter().getInvocation(COMMAND_ID, INSTANCE_ID));

    expect(error.code).toBe('aws-error');
    expect(error.message).toContain('Exploded');
  });

  it('maps a throttled poll to throttled', async () => {
    ssmMock.on(GetCommandInvocationCommand).rejects(
      new SSMServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        message: 'Rate exceeded',
        $metadata: { httpStatusCode: 400, attempts: 5 },
      }),
    );

    const error = await recoveryErrorOf(adapter().getInvocation(COMMAND_ID, INSTANCE_ID));

    expect(error.code).toBe('throttled');
    expect(error.message).toContain('ssm:GetCommandInvocation');
    expect(error.message).toContain('after 5 attempts');
  });
});

describe('cancelCommand', () => {
  it('cancels the command on that instance', async () => {
    ssmMock.on(CancelCommandCommand).resolves({});

    await adapter().cancelCommand(COMMAND_ID, INSTANCE_ID);

    expect(ssmMock.commandCalls(CancelCommandCommand)[0]?.args[0].input).toEqual({
      CommandId: COMMAND_ID,
      InstanceIds: [INSTANCE_ID],
    });
  });

  it('ignores a command that has already finished', async () => {
    ssmMock.on(CancelCommandCommand).rejects(new InvalidCommandId({ message: '', $metadata: {} }));

    await expect(adapter().cancelCommand(COMMAND_ID, INSTANCE_ID)).resolves.toBeUndefined();
  });

  it('still reports other failures', async () => {
    ssmMock.on(CancelCommandCommand).rejects(
      new SSMServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        message: 'denied',
        $metadata: {},
      }),
    );

    const error = await recoveryErrorOf(adapter().cancelCommand(COMMAND_ID, INSTANCE_ID));

    expect(error.code).toBe('permission-denied');
    expect(error.fix).toContain('ssm:CancelCommand');
  });
});

describe('agentPingStatus', () => {
  it('filters DescribeInstanceInformation by the instance id and returns its ping status', async () => {
    ssmMock.on(DescribeInstanceInformationCommand).resolves({
      InstanceInformationList: [{ InstanceId: INSTANCE_ID, PingStatus: 'ConnectionLost' }],
    });

    await expect(adapter().agentPingStatus(INSTANCE_ID)).resolves.toBe('ConnectionLost');
    expect(ssmMock.commandCalls(DescribeInstanceInformationCommand)[0]?.args[0].input).toEqual({
      Filters: [{ Key: 'InstanceIds', Values: [INSTANCE_ID] }],
    });
  });

  it('is NotRegistered when SSM does not list the instance', async () => {
    ssmMock.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [] });

    await expect(adapter().agentPingStatus(INSTANCE_ID)).resolves.toBe('NotRegistered');
  });

  it('is NotRegistered when SSM refuses the id as not managed', async () => {
    ssmMock.on(DescribeInstanceInformationCommand).rejects(notValidState());

    await expect(adapter().agentPingStatus(INSTANCE_ID)).resolves.toBe('NotRegistered');
  });
});
