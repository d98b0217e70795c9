import { type AwsClients, createAwsClients, createAwsPorts } from '../shared/aws/index.js';
import type { RecoveryPorts } from '../shared/ports.js';

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
    const created = observeResponses(createAwsClients({ region }), firstResponse);
    byRegion.set(region, created);
    return created;
  };

  return {
    clients,
    ports(region) {
      const existing = portsByRegion.get(region);
      if (existing !== undefined) return existing;
      const created = createAwsPorts({ clients: clients(region) });
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
