import { type AwsClients, createAwsClients, createAwsPorts } from '../shared/aws/index.js';
import { RecoveryError } from '../shared/errors.js';
import { type Clock, type RecoveryPorts, systemClock } from '../shared/ports.js';

/**
 * AWS access for one run of the action: the shared client factory per region, and the recovery ports, each of
 * which loads its adapter (and so its SDK client package) on its first call, so that `restart` reaches its first
 * request about as soon as a script that loads only the EC2 client (see bench/action.bench.ts).
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
      const created = createAwsPorts({
        clients: clients(region),
        version: options.version,
        clock: abortableClock(options.signal),
      });
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
