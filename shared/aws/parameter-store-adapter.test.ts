import {
  DeleteParameterCommand,
  GetParameterCommand,
  ParameterAlreadyExists,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
  SSMServiceException,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients } from './client-factory.js';
import { createParameterStoreAdapter } from './parameter-store-adapter.js';
import { recoveryErrorOf } from './test-support/recovery-error.js';

const NAME = '/domtory-recovery/lock/web';
const ssmMock = mockClient(SSMClient);

function adapter() {
  return createParameterStoreAdapter(createAwsClients({ region: 'ap-northeast-2' }));
}

beforeEach(() => {
  ssmMock.reset();
});

afterAll(() => {
  ssmMock.restore();
});

describe('get', () => {
  it('returns value and version', async () => {
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Name: NAME, Value: 'run-7', Version: 3 } });

    await expect(adapter().get(NAME)).resolves.toEqual({ value: 'run-7', version: 3 });
    expect(ssmMock.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({ Name: NAME });
  });

  it('is undefined for a parameter that does not exist', async () => {
    ssmMock.on(GetParameterCommand).rejects(new ParameterNotFound({ message: '', $metadata: {} }));

    await expect(adapter().get(NAME)).resolves.toBeUndefined();
  });

  it('names ssm:GetParameter and the parameter when access is denied', async () => {
    ssmMock.on(GetParameterCommand).rejects(
      new SSMServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        message: 'not authorized',
        $metadata: {},
      }),
    );

    const error = await recoveryErrorOf(adapter().get(NAME));

    expect(error.code).toBe('permission-denied');
    expect(error.fix).toContain(`Allow ssm:GetParameter on parameter ${NAME}`);
  });
});

describe('create', () => {
  it('puts a String parameter without overwriting and reports success', async () => {
    ssmMock.on(PutParameterCommand).resolves({ Version: 1 });

    await expect(adapter().create(NAME, 'run-8')).resolves.toBe(true);
    expect(ssmMock.commandCalls(PutParameterCommand)[0]?.args[0].input).toEqual({
      Name: NAME,
      Value: 'run-8',
      Type: 'String',
      Overwrite: false,
    });
  });

  it('is false when the parameter already exists', async () => {
    ssmMock.on(PutParameterCommand).rejects(new ParameterAlreadyExists({ message: '', $metadata: {} }));

    await expect(adapter().create(NAME, 'run-8')).resolves.toBe(false);
  });

  it('maps TooManyUpdates to throttled', async () => {
    ssmMock.on(PutParameterCommand).rejects(
      new SSMServiceException({
        name: 'TooManyUpdates',
        $fault: 'client',
        message: 'slow down',
        $metadata: {},
      }),
    );

    const error = await recoveryErrorOf(adapter().create(NAME, 'run-8'));

    expect(error.code).toBe('throttled');
  });
});

describe('overwrite', () => {
  it('puts with Overwrite=true and returns the new version', async () => {
    ssmMock.on(PutParameterCommand).resolves({ Version: 12 });

    await expect(adapter().overwrite(NAME, 'run-9')).resolves.toBe(12);
    expect(ssmMock.commandCalls(PutParameterCommand)[0]?.args[0].input).toEqual({
      Name: NAME,
      Value: 'run-9',
      Type: 'String',
      Overwrite: true,
    });
  });

  it('reports an answer without a version', async () => {
    ssmMock.on(PutParameterCommand).resolves({});

    const error = await recoveryErrorOf(adapter().overwrite(NAME, 'run-9'));

    expect(error.code).toBe('aws-error');
  });
});

describe('delete', () => {
  it('deletes the parameter', async () => {
    ssmMock.on(DeleteParameterCommand).resolves({});

    await adapter().delete(NAME);

    expect(ssmMock.commandCalls(DeleteParameterCommand)[0]?.args[0].input).toEqual({ Name: NAME });
  });

  it('ignores a parameter that is already gone', async () => {
    ssmMock.on(DeleteParameterCommand).rejects(new ParameterNotFound({ message: '', $metadata: {} }));

    await expect(adapter().delete(NAME)).resolves.toBeUndefined();
  });

  it('reports other failures with the call and the parameter', async () => {
    ssmMock.on(DeleteParameterCommand).rejects(
      new SSMServiceException({
        name: 'InternalServerError',
        $fault: 'server',
        message: 'boom',
        $metadata: { httpStatusCode: 500, requestId: 'req-42' },
      }),
    );

    const error = await recoveryErrorOf(adapter().delete(NAME));

    expect(error.code).toBe('aws-error');
    expect(error.message).toBe(
      `ssm:DeleteParameter on parameter ${NAME} in ap-northeast-2 failed: InternalServerError: boom (HTTP 500, request id req-42)`,
    );
  });
});
