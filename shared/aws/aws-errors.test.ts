import { describe, expect, it } from 'vitest';
import { RecoveryError } from '../errors.js';
import { type AwsCall, awsErrorName, isAwsError, toRecoveryError } from './aws-errors.js';

const REBOOT: AwsCall = {
  service: 'ec2',
  operation: 'RebootInstances',
  resource: 'instance i-0123456789abcdef0',
  region: 'ap-northeast-2',
};
const SEND_COMMAND: AwsCall = {
  service: 'ssm',
  operation: 'SendCommand',
  resource: 'instance i-0123456789abcdef0 and document AWS-RunShellScript',
};

function sdkError(name: string, message: string, metadata: Record<string, unknown> = {}) {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: metadata });
}

describe('awsErrorName', () => {
  it('reads the service error code, and the Code of errors that only carry one', () => {
    expect(awsErrorName(sdkError('InvalidInstanceID.NotFound', 'x'))).toBe('InvalidInstanceID.NotFound');
    expect(awsErrorName(Object.assign(new Error('x'), { Code: 'DryRunOperation' }))).toBe('DryRunOperation');
    expect(awsErrorName(new Error('plain'))).toBeUndefined();
    expect(awsErrorName('a string')).toBeUndefined();
    expect(isAwsError(sdkError('ParameterNotFound', ''), 'ParameterAlreadyExists', 'ParameterNotFound')).toBe(
      true,
    );
  });
});

describe('toRecoveryError', () => {
  it.each(['UnauthorizedOperation', 'AccessDeniedException', 'AccessDenied'])(
    '%s → permission-denied naming the IAM action and resource',
    (name) => {
      const cause = sdkError(name, 'You are not authorized to perform this operation.');

      const error = toRecoveryError(cause, REBOOT);

      expect(error.code).toBe('permission-denied');
      expect(error.message).toContain('ec2:RebootInstances');
      expect(error.message).toContain('instance i-0123456789abcdef0 in ap-northeast-2');
      expect(error.fix).toBe(
        'Allow ec2:RebootInstances on instance i-0123456789abcdef0 for the IAM role or user these credentials belong to.',
      );
      expect(error.cause).toBe(cause);
    },
  );

  it('points out an explicit deny and the encoded authorization message', () => {
    const error = toRecoveryError(
      sdkError(
        'UnauthorizedOperation',
        'You are not authorized to perform this operation. User: arn:aws:sts::1:assumed-role/ci is not authorized to perform: ec2:RebootInstances with an explicit deny in a service control policy. Encoded authorization failure message: AbCd',
      ),
      REBOOT,
    );

    expect(error.fix).toContain('explicit Deny');
    expect(error.fix).toContain('aws sts decode-authorization-message');
  });

  it('says when the refusal came from a dry run', () => {
    const error = toRecoveryError(sdkError('UnauthorizedOperation', 'no'), { ...REBOOT, dryRun: true });

    expect(error.message).toContain('dry run: nothing was changed');
  });

  it('maps InvalidInstanceId from SSM to ssm-unreachable', () => {
    const error = toRecoveryError(
      sdkError('InvalidInstanceId', 'Instances [[i-0123456789abcdef0]] not in a valid state for account 1'),
      SEND_COMMAND,
    );

    expect(error.code).toBe('ssm-unreachable');
    expect(error.fix).toContain('AmazonSSMManagedInstanceCore');
    expect(error.fix).toContain('Fleet Manager');
  });

  it.each(['InvalidInstanceID.NotFound', 'InvalidInstanceID.Malformed'])(
    '%s → instance-not-found',
    (name) => {
      const error = toRecoveryError(sdkError(name, 'does not exist'), REBOOT);

      expect(error.code).toBe('instance-not-found');
      expect(error.fix).toContain('region');
    },
  );

  it.each(['ThrottlingException', 'Throttling', 'RequestLimitExceeded', 'TooManyUpdates'])(
    '%s → throttled',
    (name) => {
      const error = toRecoveryError(sdkError(name, 'Rate exceeded', { attempts: 5 }), REBOOT);

      expect(error.code).toBe('throttled');
      expect(error.message).toContain('after 5 attempts');
    },
  );

  it('takes an HTTP 429 for throttling whatever the error is called', () => {
    expect(toRecoveryError(sdkError('Unknown', 'slow', { httpStatusCode: 429 }), REBOOT).code).toBe(
      'throttled',
    );
  });

  it('keeps call, resource, error name, message and request id for everything else', () => {
    const cause = sdkError(
      'IncorrectInstanceState',
      'The instance is not in a state from which it can be rebooted.',
      {
        httpStatusCode: 400,
        requestId: 'req-1',
      },
    );

    const error = toRecoveryError(cause, REBOOT);

    expect(error.code).toBe('aws-error');
    expect(error.message).toBe(
      'ec2:RebootInstances on instance i-0123456789abcdef0 in ap-northeast-2 failed: IncorrectInstanceState: The instance is not in a state from which it can be rebooted. (HTTP 400, request id req-1)',
    );
    expect(error.fix).toBeUndefined();
    expect(error.cause).toBe(cause);
  });

  it('explains missing or expired credentials', () => {
    const error = toRecoveryError(sdkError('CredentialsProviderError', 'Could not load credentials'), REBOOT);

    expect(error.code).toBe('aws-error');
    expect(error.fix).toContain('default provider chain');
  });

  it('describes failures that are not AWS errors at all', () => {
    const error = toRecoveryError(new Error('socket hang up'), REBOOT);

    expect(error.code).toBe('aws-error');
    expect(error.message).toContain('socket hang up');
  });

  it('cuts a huge AWS message in the text but keeps it whole on the cause', () => {
    const cause = sdkError('UnauthorizedOperation', `denied ${'x'.repeat(5_000)}`);

    const error = toRecoveryError(cause, REBOOT);

    expect(error.message.length).toBeLessThan(500);
    expect(error.cause).toBe(cause);
  });

  it('passes a RecoveryError through untouched', () => {
    const original = new RecoveryError('timeout', 'too slow');

    expect(toRecoveryError(original, REBOOT)).toBe(original);
  });
});
