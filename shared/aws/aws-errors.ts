import { RecoveryError } from '../errors.js';

/**
 * Turns SDK errors into `RecoveryError`s a person can act on. The adapters describe each call (`AwsCall`), so
 * a refusal can name the exact IAM action and resource instead of echoing "You are not authorized".
 *
 * Errors are read structurally (`name`, `$metadata`) rather than with `instanceof`: EC2 reports most of its
 * errors as unmodeled codes, and this module must not import any SDK package.
 */

/** The IAM service prefix of each API the adapters call. */
export type AwsService = 'ec2' | 'ssm' | 'cloudwatch' | 'sns';

export interface AwsCall {
  service: AwsService;
  /** API operation as IAM spells it (`RebootInstances`); with `service` it is the IAM action. */
  operation: string;
  /** What the call was about, as a person would say it: `instance i-0123…`, `parameter /a/b`. */
  resource: string;
  region?: string;
  dryRun?: boolean;
}

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  Code?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
  $retryable?: { throttling?: boolean };
}

/** The service's error code (`InvalidInstanceID.NotFound`), or the JS error name for client-side failures. */
export function awsErrorName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const shape = error as SdkErrorShape;
  if (typeof shape.name === 'string' && shape.name !== 'Error') return shape.name;
  return typeof shape.Code === 'string' ? shape.Code : undefined;
}

export function isAwsError(error: unknown, ...names: string[]): boolean {
  const name = awsErrorName(error);
  return name !== undefined && names.includes(name);
}

const PERMISSION_ERRORS = new Set(['UnauthorizedOperation', 'AccessDeniedException', 'AccessDenied']);
const INSTANCE_NOT_FOUND_ERRORS = new Set(['InvalidInstanceID.NotFound', 'InvalidInstanceID.Malformed']);
// The codes these APIs throttle with, plus the others the SDK itself classifies as throttling.
const THROTTLING_ERRORS = new Set([
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'TooManyUpdates',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'EC2ThrottledException',
]);
const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'AuthFailure',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'RequestExpired',
]);

// AWS messages can carry a multi-kilobyte encoded authorization blob; the full text stays on `cause`.
const MAX_AWS_MESSAGE_CHARS = 300;

function awsMessage(error: unknown): string {
  const raw =
    typeof error === 'object' && error !== null && typeof (error as SdkErrorShape).message === 'string'
      ? ((error as SdkErrorShape).message as string)
      : String(error);
  const oneLine = raw.replace(/\s+/g, ' ').trim();
  return oneLine.length <= MAX_AWS_MESSAGE_CHARS ? oneLine : `${oneLine.slice(0, MAX_AWS_MESSAGE_CHARS)}…`;
}

function metadataOf(error: unknown): SdkErrorShape['$metadata'] {
  return typeof error === 'object' && error !== null ? (error as SdkErrorShape).$metadata : undefined;
}

function isThrottling(error: unknown, name: string | undefined): boolean {
  if (name !== undefined && THROTTLING_ERRORS.has(name)) return true;
  if (metadataOf(error)?.httpStatusCode === 429) return true;
  return (
    typeof error === 'object' && error !== null && (error as SdkErrorShape).$retryable?.throttling === true
  );
}

function iamAction(call: AwsCall): string {
  return `${call.service}:${call.operation}`;
}

function where(call: AwsCall): string {
  return call.region === undefined ? call.resource : `${call.resource} in ${call.region}`;
}

function permissionFix(call: AwsCall, message: string): string {
  const parts = [
    `Allow ${iamAction(call)} on ${call.resource} for the IAM role or user these credentials belong to.`,
  ];
  if (/explicit deny/i.test(message)) {
    parts.push(
      'The refusal is an explicit Deny (an SCP, a permissions boundary or a policy statement): adding an Allow is not enough until that Deny is lifted.',
    );
  }
  if (/encoded authorization failure message/i.test(message)) {
    parts.push(
      'The full error (see its cause) carries an encoded message; `aws sts decode-authorization-message --encoded-message <message>` shows which statement refused it.',
    );
  }
  return parts.join(' ');
}

const SSM_UNREACHABLE_FIX = [
  'Right after a reboot or start this is expected for a minute or two, until the SSM agent reconnects.',
  'If it persists: attach an instance profile whose role has the AmazonSSMManagedInstanceCore policy;',
  'make sure the SSM agent is installed and running on the instance (systemctl status amazon-ssm-agent, or',
  'snap.amazon-ssm-agent.amazon-ssm-agent on Ubuntu) and registered: the instance must show as Online in',
  'Fleet Manager or in `aws ssm describe-instance-information --filters Key=InstanceIds,Values=<id>`.',
  'The instance also needs outbound HTTPS to the SSM endpoints (or VPC endpoints for ssm, ssmmessages and ec2messages).',
].join(' ');

const CREDENTIALS_FIX = [
  'The AWS credentials are missing, expired or invalid. Provide them through the default provider chain:',
  'environment variables, a shared profile, web identity (GitHub OIDC) or an instance/task role.',
  'If the error mentions time or expiry, also check the machine clock.',
].join(' ');

export function toRecoveryError(error: unknown, call: AwsCall): RecoveryError {
  if (error instanceof RecoveryError) return error;
  const name = awsErrorName(error);
  const message = awsMessage(error);
  const action = iamAction(call);
  const dryRun = call.dryRun === true ? ' (dry run: nothing was changed)' : '';

  if (name !== undefined && PERMISSION_ERRORS.has(name)) {
    return new RecoveryError(
      'permission-denied',
      `Not allowed to call ${action} on ${where(call)}${dryRun}: ${message}`,
      { fix: permissionFix(call, message), cause: error },
    );
  }
  if (call.service === 'ssm' && name === 'InvalidInstanceId') {
    return new RecoveryError(
      'ssm-unreachable',
      `SSM cannot run commands on ${where(call)} right now (${action}: ${message})`,
      { fix: SSM_UNREACHABLE_FIX, cause: error },
    );
  }
  if (name !== undefined && INSTANCE_NOT_FOUND_ERRORS.has(name)) {
    return new RecoveryError('instance-not-found', `EC2 does not know ${where(call)} (${name}: ${message})`, {
      fix: 'Check the instance id and the region in the config: instance ids are per region, and a terminated instance disappears from EC2 about an hour after termination.',
      cause: error,
    });
  }
  if (isThrottling(error, name)) {
    const attempts = metadataOf(error)?.attempts;
    const afterAttempts = attempts === undefined ? '' : ` after ${attempts} attempts`;
    return new RecoveryError(
      'throttled',
      `AWS throttled ${action} on ${where(call)}${afterAttempts} (${name ?? 'HTTP 429'}: ${message})`,
      {
        fix: `Retry in a minute. If it keeps happening, something else in the account is calling ${call.service} heavily (CloudTrail shows who), or ask for a higher ${call.service} API rate quota.`,
        cause: error,
      },
    );
  }

  const metadata = metadataOf(error);
  const details = [
    metadata?.httpStatusCode === undefined ? undefined : `HTTP ${metadata.httpStatusCode}`,
    metadata?.requestId === undefined ? undefined : `request id ${metadata.requestId}`,
  ].filter((detail) => detail !== undefined);
  const suffix = details.length === 0 ? '' : ` (${details.join(', ')})`;
  const text = `${action} on ${where(call)} failed${dryRun}: ${name ?? 'Error'}: ${message}${suffix}`;
  return name !== undefined && CREDENTIAL_ERRORS.has(name)
    ? new RecoveryError('aws-error', text, { fix: CREDENTIALS_FIX, cause: error })
    : new RecoveryError('aws-error', text, { cause: error });
}
