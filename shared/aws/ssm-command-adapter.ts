import {
  CancelCommandCommand,
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  type GetCommandInvocationCommandOutput,
  SendCommandCommand,
  type SendCommandCommandOutput,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { RecoveryError } from '../errors.js';
import type {
  AgentPingStatus,
  CommandInvocation,
  CommandPort,
  CommandStatus,
  SendCommandRequest,
} from '../ports.js';
import { type AwsCall, isAwsError, toRecoveryError } from './aws-errors.js';
import type { AwsClients } from './client-factory.js';

export const RUN_SHELL_SCRIPT_DOCUMENT = 'AWS-RunShellScript';
/** SendCommand rejects a `TimeoutSeconds` below 30. */
export const MIN_DELIVERY_TIMEOUT_SECONDS = 30;
/** SendCommand rejects a `Comment` longer than 100 characters. */
export const MAX_COMMENT_LENGTH = 100;

const COMMAND_STATUSES: readonly CommandStatus[] = [
  'Pending',
  'InProgress',
  'Delayed',
  'Success',
  'Cancelled',
  'Cancelling',
  'TimedOut',
  'Failed',
  'Undeliverable',
  'Terminated',
];

function truncateComment(comment: string): string {
  return comment.length <= MAX_COMMENT_LENGTH ? comment : `${comment.slice(0, MAX_COMMENT_LENGTH - 1)}…`;
}

/**
 * `Status` never says "Undeliverable" or "Terminated": those only appear in `StatusDetails` (with `Status` at
 * Failed), and they mean different things to a person (the agent never got the command vs. it was killed).
 */
function commandStatus(output: GetCommandInvocationCommandOutput, commandId: string): CommandStatus {
  const details = output.StatusDetails;
  if (details === 'Undeliverable' || details === 'Terminated') return details;
  const status = COMMAND_STATUSES.find((candidate) => candidate === output.Status);
  if (status === undefined) {
    throw new RecoveryError(
      'aws-error',
      `ssm:GetCommandInvocation returned an unknown status "${String(output.Status)}" (${String(details)}) for command ${commandId}`,
    );
  }
  return status;
}

export function createSsmCommandAdapter(clients: AwsClients): CommandPort {
  const ssm = () => clients.client(SSMClient);
  const call = (operation: string, resource: string): AwsCall => ({
    service: 'ssm',
    operation,
    resource,
    region: clients.region,
  });

  return {
    async sendCommand(request: SendCommandRequest) {
      const parameters: Record<string, string[]> = {
        commands: request.commands,
        executionTimeout: [String(Math.max(1, Math.ceil(request.executionTimeoutSeconds)))],
      };
      if (request.workingDirectory !== undefined) parameters.workingDirectory = [request.workingDirectory];
      let response: SendCommandCommandOutput;
      try {
        response = await ssm().send(
          new SendCommandCommand({
            InstanceIds: [request.instanceId],
            DocumentName: RUN_SHELL_SCRIPT_DOCUMENT,
            Parameters: parameters,
            TimeoutSeconds: Math.max(MIN_DELIVERY_TIMEOUT_SECONDS, Math.ceil(request.deliveryTimeoutSeconds)),
            Comment: truncateComment(request.comment),
          }),
        );
      } catch (error) {
        // SendCommand needs the action on both the instance and the document.
        throw toRecoveryError(
          error,
          call('SendCommand', `instance ${request.instanceId} and document ${RUN_SHELL_SCRIPT_DOCUMENT}`),
        );
      }
      const commandId = response.Command?.CommandId;
      if (commandId === undefined) {
        throw new RecoveryError(
          'aws-error',
          `ssm:SendCommand to instance ${request.instanceId} returned no command id`,
        );
      }
      return { commandId };
    },

    async getInvocation(commandId, instanceId): Promise<CommandInvocation | undefined> {
      let output: GetCommandInvocationCommandOutput;
      try {
        output = await ssm().send(
          new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }),
        );
      } catch (error) {
        // SSM creates invocations asynchronously: for a moment after SendCommand it does not know them yet.
        if (isAwsError(error, 'InvocationDoesNotExist')) return undefined;
        throw toRecoveryError(
          error,
          call('GetCommandInvocation', `command ${commandId} on instance ${instanceId}`),
        );
      }
      const invocation: CommandInvocation = {
        commandId,
        status: commandStatus(output, commandId),
        stdout: output.StandardOutputContent ?? '',
        stderr: output.StandardErrorContent ?? '',
      };
      if (output.ResponseCode !== undefined) invocation.exitCode = output.ResponseCode;
      return invocation;
    },

    async cancelCommand(commandId, instanceId) {
      try {
        await ssm().send(new CancelCommandCommand({ CommandId: commandId, InstanceIds: [instanceId] }));
      } catch (error) {
        // Cancelling is best effort: a finished command is no longer cancellable (InvalidCommandId), and an
        // instance SSM cannot reach (InvalidInstanceId) cannot be told to stop anyway.
        if (isAwsError(error, 'InvalidCommandId', 'InvalidInstanceId')) return;
        throw toRecoveryError(error, call('CancelCommand', `command ${commandId} on instance ${instanceId}`));
      }
    },

    async agentPingStatus(instanceId): Promise<AgentPingStatus> {
      try {
        const response = await ssm().send(
          new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [instanceId] }] }),
        );
        const information = response.InstanceInformationList?.find(
          (candidate) => candidate.InstanceId === instanceId,
        );
        const ping = information?.PingStatus;
        return ping === 'Online' || ping === 'ConnectionLost' || ping === 'Inactive' ? ping : 'NotRegistered';
      } catch (error) {
        // InvalidInstanceId is a documented answer of this API for an id SSM does not manage: not registered.
        if (isAwsError(error, 'InvalidInstanceId')) return 'NotRegistered';
        throw toRecoveryError(error, call('DescribeInstanceInformation', `instance ${instanceId}`));
      }
    },
  };
}
