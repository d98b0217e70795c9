import { lockParameterName, type RecoveryPorts, type Target } from '../../shared/index.js';
import type { SimulatedCloud } from '../../shared/sim/index.js';

/** Recoveries held mid-way, here or in another process, for tests of what happens while one runs. */

/**
 * A `wrapPorts` that holds one target's reboot: a recovery stays running mid-way until `until` settles (by default
 * never: only an abort ends it). `reached` is called when the recovery gets there.
 */
export function holdReboot(
  targetName: string,
  options: { until?: Promise<void>; reached?: () => void } = {},
): (target: Target, ports: RecoveryPorts) => RecoveryPorts {
  const until = options.until ?? new Promise<void>(() => {});
  return (target, ports) =>
    target.name !== targetName
      ? ports
      : {
          ...ports,
          ec2: {
            ...ports.ec2,
            rebootInstance: async (id, dryRun) => {
              options.reached?.();
              await until;
              return ports.ec2.rebootInstance(id, dryRun);
            },
          },
        };
}

/**
 * Writes the lock of a recovery that another process (the GitHub Action) runs on `instanceId`, taken now and
 * held for an hour.
 */
export async function holdLockElsewhere(
  cloud: SimulatedCloud,
  prefix: string,
  instanceId: string,
): Promise<boolean> {
  const now = cloud.clock.now();
  const lock = {
    owner: 'github:octo/app#42',
    trigger: 'github',
    acquiredAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 3_600_000).toISOString(),
  };
  return cloud.ports.parameters.create(lockParameterName(prefix, instanceId), JSON.stringify(lock));
}
