import type { RecoveryPorts, Target } from '../../shared/index.js';

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
