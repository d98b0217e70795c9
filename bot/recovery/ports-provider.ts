import type { RecoveryPorts, Target } from '../../shared/index.js';

/**
 * Where a target's ports come from: real AWS in the target's region, the simulator (`DOMTORY_SIMULATE`), or a
 * test's own. Asynchronous so that the AWS SDK is only loaded when the bot first talks to AWS: an idle bot stays
 * small, and the simulator never loads it at all.
 */
export interface PortsProvider {
  readonly kind: 'aws' | 'simulated' | 'custom';
  portsFor(target: Target): Promise<RecoveryPorts>;
}

export function awsPortsProvider(): PortsProvider {
  const byRegion = new Map<string, Promise<RecoveryPorts>>();
  return {
    kind: 'aws',
    portsFor(target) {
      let ports = byRegion.get(target.region);
      if (ports === undefined) {
        ports = import('../../shared/aws/index.js').then(({ createAwsPorts }) =>
          createAwsPorts({ region: target.region }),
        );
        byRegion.set(target.region, ports);
      }
      return ports;
    },
  };
}

export interface SimulatedPortsOptions {
  scenario: string;
  /** Real ms per simulated second; 0 runs as fast as the work allows. */
  realMsPerVirtualSecond?: number;
}

/** One simulated instance per target, created on first use and kept, so that its history and lock persist. */
export async function simulatedPortsProvider(options: SimulatedPortsOptions): Promise<PortsProvider> {
  const sim = await import('../../shared/sim/index.js');
  if (!sim.isScenarioName(options.scenario)) {
    throw new Error(
      `unknown simulator scenario "${options.scenario}"; use one of ${sim.SCENARIO_NAMES.join(', ')}`,
    );
  }
  const scenario = options.scenario;
  const clouds = new Map<string, RecoveryPorts>();
  return {
    kind: 'simulated',
    async portsFor(target) {
      let ports = clouds.get(target.name);
      if (ports === undefined) {
        ports = sim.createSimulatedCloud({
          scenario,
          instanceId: target.instanceId,
          ...(options.realMsPerVirtualSecond === undefined
            ? {}
            : { realMsPerVirtualSecond: options.realMsPerVirtualSecond }),
        }).ports;
        clouds.set(target.name, ports);
      }
      return ports;
    },
  };
}

export function customPortsProvider(
  portsFor: (target: Target) => RecoveryPorts | Promise<RecoveryPorts>,
): PortsProvider {
  return { kind: 'custom', portsFor: async (target) => portsFor(target) };
}
