import { type AwsClients, createAwsClients } from '../shared/aws/client-factory.js';
import { createHttpProbe } from '../shared/aws/http-probe.js';
import { RecoveryError } from '../shared/errors.js';
import {
  type Clock,
  type CommandPort,
  type Ec2Port,
  type MetricsPort,
  type ParameterStorePort,
  type RecoveryPorts,
  systemClock,
} from '../shared/ports.js';

/**
 * AWS access for one run of the action: the shared client factory per region, and the recovery ports with each
 * adapter (and so each SDK client package) loaded on its port's first call.
 *
 * `createAwsPorts` in shared/aws imports every adapter up front, which would load the EC2, SSM and CloudWatch
 * packages before `restart` could send its first request; loading them per port keeps the time to the first
 * request close to that of a script that loads only the EC2 client (see bench/action.bench.ts).
 */
export interface AwsAccess {
  clients(region: string): AwsClients;
  ports(region: string): RecoveryPorts;
  /** Closes every client's sockets, so the process can exit at once. */
  destroy(): void;
}

export interface AwsAccessOptions {
  version: string;
  /** Ends the ports' sleeps early once aborted, so a cancelled recovery winds down at once, not after its poll. */
  signal?: AbortSignal;
  /** Called once, after the first answer (or failure) of any AWS request. */
  onFirstResponse?: () => void;
}

export function createAwsAccess(options: AwsAccessOptions): AwsAccess {
  const byRegion = new Map<string, AwsClients>();
  const portsByRegion = new Map<string, RecoveryPorts>();
  let answered = false;
  const firstResponse = () => {
    if (answered) return;
    answered = true;
    options.onFirstResponse?.();
  };

  const clients = (region: string): AwsClients => {
    const existing = byRegion.get(region);
    if (existing !== undefined) return existing;
    const created = observeResponses(createAwsClients({ region, version: options.version }), firstResponse);
    byRegion.set(region, created);
    return created;
  };

  return {
    clients,
    ports(region) {
      const existing = portsByRegion.get(region);
      if (existing !== undefined) return existing;
      const created = lazyPorts(clients(region), options.version, abortableClock(options.signal));
      portsByRegion.set(region, created);
      return created;
    },
    destroy() {
      for (const regionClients of byRegion.values()) regionClients.destroy();
    },
  };
}

interface MiddlewareStackLike {
  add(
    middleware: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
    options: { step: 'deserialize'; name: string },
  ): void;
}

/** Adds a per-attempt hook to every client the factory creates, through the SDK's own middleware stack. */
function observeResponses(clients: AwsClients, onResponse: () => void): AwsClients {
  const observed = new WeakSet<object>();
  return {
    region: clients.region,
    client(clientClass) {
      const instance = clients.client(clientClass);
      const stack = (instance as { middlewareStack?: MiddlewareStackLike }).middlewareStack;
      if (stack !== undefined && !observed.has(instance)) {
        observed.add(instance);
        stack.add(
          (next) => async (args) => {
            try {
              return await next(args);
            } finally {
              onResponse();
            }
          },
          { step: 'deserialize', name: 'domtoryFirstResponseObserver' },
        );
      }
      return instance;
    },
    destroy: () => clients.destroy(),
  };
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load();
    return loading;
  };
}

/**
 * A port whose adapter is created on the first call of any of its methods. `methods` must name every method of
 * the port (the `satisfies` below makes the compiler check that), since the object is built from that list.
 */
function deferPort<P extends object>(load: () => Promise<P>, methods: Record<keyof P, true>): P {
  const port: Partial<Record<keyof P, unknown>> = {};
  for (const method of Object.keys(methods) as (keyof P)[]) {
    port[method] = async (...args: unknown[]) => {
      const loaded = await load();
      return (loaded[method] as (...callArgs: unknown[]) => unknown).apply(loaded, args);
    };
  }
  return port as P;
}

const EC2_METHODS = {
  describeInstance: true,
  rebootInstance: true,
  stopInstance: true,
  startInstance: true,
  instanceStatusOk: true,
} as const satisfies Record<keyof Ec2Port, true>;

const COMMAND_METHODS = {
  sendCommand: true,
  getInvocation: true,
  cancelCommand: true,
  agentPingStatus: true,
} as const satisfies Record<keyof CommandPort, true>;

const METRICS_METHODS = { getDatapoints: true } as const satisfies Record<keyof MetricsPort, true>;

const PARAMETER_METHODS = {
  get: true,
  create: true,
  overwrite: true,
  delete: true,
} as const satisfies Record<keyof ParameterStorePort, true>;

/**
 * The system clock, except that a sleep fails with `aborted` as soon as `signal` aborts. The core checks for
 * cancellation only between waits; without this, a cancelled run would first sit out its current poll (up to 8 s
 * while a reboot begins), longer than the 7.5 s the runner allows between its SIGINT and its SIGTERM. Failing
 * rather than waking early matters: a loop that does not check the signal itself must not start polling
 * back to back.
 */
function abortableClock(signal: AbortSignal | undefined): Clock {
  if (signal === undefined) return systemClock;
  const aborted = () =>
    new RecoveryError('aborted', 'the run was cancelled (or reached timeout-minutes) before it finished', {
      fix: 'Check the instance by hand: it may be between a restart and the compose app coming up.',
    });
  return {
    now: () => systemClock.now(),
    sleep: (ms) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) {
          reject(aborted());
          return;
        }
        const onAbort = () => {
          clearTimeout(timer);
          reject(aborted());
        };
        const timer = setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        }, ms);
        signal.addEventListener('abort', onAbort, { once: true });
      }),
  };
}

function lazyPorts(clients: AwsClients, version: string, clock: Clock): RecoveryPorts {
  return {
    ec2: deferPort<Ec2Port>(
      once(async () => (await import('../shared/aws/ec2-adapter.js')).createEc2Adapter(clients)),
      EC2_METHODS,
    ),
    commands: deferPort<CommandPort>(
      once(async () =>
        (await import('../shared/aws/ssm-command-adapter.js')).createSsmCommandAdapter(clients),
      ),
      COMMAND_METHODS,
    ),
    metrics: deferPort<MetricsPort>(
      once(async () =>
        (await import('../shared/aws/cloudwatch-metrics-adapter.js')).createCloudWatchMetricsAdapter(clients),
      ),
      METRICS_METHODS,
    ),
    parameters: deferPort<ParameterStorePort>(
      once(async () =>
        (await import('../shared/aws/parameter-store-adapter.js')).createParameterStoreAdapter(clients),
      ),
      PARAMETER_METHODS,
    ),
    http: createHttpProbe({ version }),
    clock,
  };
}
