import {
  DescribeInstanceStatusCommand,
  DescribeInstancesCommand,
  type DescribeInstancesCommandOutput,
  EC2Client,
  RebootInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { RecoveryError } from '../errors.js';
import type { DryRunOption, Ec2Port, InstanceDescription, InstanceState } from '../ports.js';
import { type AwsCall, isAwsError, toRecoveryError } from './aws-errors.js';
import type { AwsClients } from './client-factory.js';

const INSTANCE_STATES: readonly InstanceState[] = [
  'pending',
  'running',
  'shutting-down',
  'terminated',
  'stopping',
  'stopped',
];

function isInstanceState(value: string | undefined): value is InstanceState {
  return INSTANCE_STATES.some((state) => state === value);
}

export function createEc2Adapter(clients: AwsClients): Ec2Port {
  const ec2 = () => clients.client(EC2Client);
  const call = (operation: string, instanceId: string, dryRun = false): AwsCall => ({
    service: 'ec2',
    operation,
    resource: `instance ${instanceId}`,
    region: clients.region,
    dryRun,
  });

  /**
   * EC2 answers a permitted dry run with the *error* `DryRunOperation` ("Request would have succeeded"), so
   * that error is the success of a dry run; a refused one comes back as `UnauthorizedOperation`.
   */
  async function changeState(
    operation: string,
    instanceId: string,
    options: DryRunOption,
    send: () => Promise<unknown>,
  ) {
    try {
      await send();
    } catch (error) {
      if (options.dryRun && isAwsError(error, 'DryRunOperation')) return;
      throw toRecoveryError(error, call(operation, instanceId, options.dryRun));
    }
  }

  return {
    async describeInstance(instanceId): Promise<InstanceDescription | undefined> {
      let response: DescribeInstancesCommandOutput;
      try {
        response = await ec2().send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
      } catch (error) {
        if (isAwsError(error, 'InvalidInstanceID.NotFound')) return undefined;
        throw toRecoveryError(error, call('DescribeInstances', instanceId));
      }
      const instance = response.Reservations?.flatMap((reservation) => reservation.Instances ?? []).find(
        (candidate) => candidate.InstanceId === instanceId,
      );
      if (instance === undefined) return undefined;
      const state = instance.State?.Name;
      if (!isInstanceState(state)) {
        throw new RecoveryError(
          'aws-error',
          `ec2:DescribeInstances returned instance ${instanceId} with an unknown state "${String(state)}"`,
        );
      }
      const description: InstanceDescription = {
        instanceId,
        state,
        instanceType: instance.InstanceType ?? 'unknown',
      };
      if (instance.LaunchTime !== undefined) description.launchTime = instance.LaunchTime;
      const availabilityZone = instance.Placement?.AvailabilityZone;
      if (availabilityZone !== undefined) description.availabilityZone = availabilityZone;
      return description;
    },

    rebootInstance(instanceId, options) {
      return changeState('RebootInstances', instanceId, options, () =>
        ec2().send(new RebootInstancesCommand({ InstanceIds: [instanceId], DryRun: options.dryRun })),
      );
    },

    stopInstance(instanceId, options) {
      return changeState('StopInstances', instanceId, options, () =>
        ec2().send(
          new StopInstancesCommand({
            InstanceIds: [instanceId],
            Force: options.force,
            DryRun: options.dryRun,
          }),
        ),
      );
    },

    startInstance(instanceId, options) {
      return changeState('StartInstances', instanceId, options, () =>
        ec2().send(new StartInstancesCommand({ InstanceIds: [instanceId], DryRun: options.dryRun })),
      );
    },

    async instanceStatusOk(instanceId) {
      try {
        // IncludeAllInstances: without it a stopped or pending instance is simply missing from the answer.
        const response = await ec2().send(
          new DescribeInstanceStatusCommand({ InstanceIds: [instanceId], IncludeAllInstances: true }),
        );
        const status = response.InstanceStatuses?.find((candidate) => candidate.InstanceId === instanceId);
        return status?.InstanceStatus?.Status === 'ok' && status.SystemStatus?.Status === 'ok';
      } catch (error) {
        throw toRecoveryError(error, call('DescribeInstanceStatus', instanceId));
      }
    },
  };
}
