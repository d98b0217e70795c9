import {
  DeleteParameterCommand,
  GetParameterCommand,
  type GetParameterCommandOutput,
  PutParameterCommand,
  type PutParameterCommandOutput,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { RecoveryError } from '../errors.js';
import type { ParameterStorePort, StoredParameter } from '../ports.js';
import { type AwsCall, isAwsError, toRecoveryError } from './aws-errors.js';
import type { AwsClients } from './client-factory.js';

export function createParameterStoreAdapter(clients: AwsClients): ParameterStorePort {
  const ssm = () => clients.client(SSMClient);
  const call = (operation: string, name: string): AwsCall => ({
    service: 'ssm',
    operation,
    resource: `parameter ${name}`,
    region: clients.region,
  });

  async function put(name: string, value: string, overwrite: boolean): Promise<PutParameterCommandOutput> {
    // Type goes with overwrites too: overwriting a parameter that vanished recreates it instead of failing.
    return ssm().send(
      new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: overwrite }),
    );
  }

  return {
    async get(name): Promise<StoredParameter | undefined> {
      let output: GetParameterCommandOutput;
      try {
        output = await ssm().send(new GetParameterCommand({ Name: name }));
      } catch (error) {
        if (isAwsError(error, 'ParameterNotFound')) return undefined;
        throw toRecoveryError(error, call('GetParameter', name));
      }
      const value = output.Parameter?.Value;
      const version = output.Parameter?.Version;
      if (value === undefined || version === undefined) {
        throw new RecoveryError(
          'aws-error',
          `ssm:GetParameter returned parameter ${name} without a value or version`,
        );
      }
      return { value, version };
    },

    async create(name, value) {
      try {
        await put(name, value, false);
        return true;
      } catch (error) {
        // The atomic create-if-absent that locks are built on: someone else got there first.
        if (isAwsError(error, 'ParameterAlreadyExists')) return false;
        throw toRecoveryError(error, call('PutParameter', name));
      }
    },

    async overwrite(name, value) {
      let output: PutParameterCommandOutput;
      try {
        output = await put(name, value, true);
      } catch (error) {
        throw toRecoveryError(error, call('PutParameter', name));
      }
      if (output.Version === undefined) {
        throw new RecoveryError('aws-error', `ssm:PutParameter returned no version for parameter ${name}`);
      }
      return output.Version;
    },

    async delete(name) {
      try {
        await ssm().send(new DeleteParameterCommand({ Name: name }));
      } catch (error) {
        if (isAwsError(error, 'ParameterNotFound')) return;
        throw toRecoveryError(error, call('DeleteParameter', name));
      }
    },
  };
}
