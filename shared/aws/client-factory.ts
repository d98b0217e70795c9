/**
 * The one place that decides how every AWS SDK client is set up: region, retries, timeouts, user agent.
 *
 * Design: the factory imports no SDK package at runtime (type-only imports are erased). A caller hands it the
 * client class it needs, `clients.client(EC2Client)`, and gets the single memoized instance for that class.
 * Named accessors (`ec2()`, `ssm()`, …) would force this module to import every client package up front; with
 * the class passed in, each adapter imports only its own package, and a command constructs (and loads) only
 * the clients it actually calls, which keeps the action's time to first request short.
 *
 * Endpoints are never set here: the SDK's default resolution stays in charge, so `AWS_ENDPOINT_URL` and
 * `AWS_ENDPOINT_URL_<SERVICE>` point the program at an emulator without a code path of our own.
 */

import { DOMTORY_VERSION } from '../version.js';

/** Static keys (tests, callers that already hold a session) or a provider; absent means the default chain. */
export interface AwsStaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export type AwsCredentials = AwsStaticCredentials | (() => Promise<AwsStaticCredentials>);

export interface AwsClientSettings {
  region: string;
  /** Requests carry `domtory-recovery/<version>`. Defaults to `DOMTORY_VERSION`; tests set their own. */
  version?: string;
  /** Total attempts per call, first one included. Defaults to `DEFAULT_MAX_ATTEMPTS`. */
  maxAttempts?: number;
  /** Upper bound for one HTTP attempt. Defaults to `DEFAULT_REQUEST_TIMEOUT_MS`. */
  requestTimeoutMs?: number;
  /** Only for callers that must not use the default provider chain (tests); omit it everywhere else. */
  credentials?: AwsCredentials;
}

/**
 * Five attempts in `standard` mode. Recoveries run exactly when an account is busy (the bot polling, the
 * alarm firing, people clicking around in the AWS web UI) and SSM's read APIs have low per-account rates, so
 * the SDK default of three gives up too easily. With the SDK's throttling backoff (full jitter, 1 s base,
 * doubling) four retries wait at most ~15 s in total, well inside every recovery deadline. `adaptive` is not
 * used: its client-side rate limiter would slow the next, unrelated polls of a long-lived client, and the
 * core already paces its polling.
 */
export const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * The SDK's default lets a request hang for up to 15 minutes on a dead connection, longer than a whole
 * recovery. These APIs answer in well under a second; 30 s leaves room for a slow region and still fails fast
 * enough to be retried (the timeout is a retryable `TimeoutError`).
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const CONNECTION_TIMEOUT_MS = 5_000;

export const USER_AGENT_NAME = 'domtory-recovery';

/** What every client class is constructed with; a subset of each SDK client's own config type. */
export interface AwsClientConfig {
  region: string;
  retryMode: 'standard';
  maxAttempts: number;
  customUserAgent: [string, string][];
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: boolean };
  credentials?: AwsCredentials;
}

/** Any SDK v3 client class (`EC2Client`, `SSMClient`, …). */
export type AwsClientClass<Client> = new (config: AwsClientConfig) => Client;

export interface AwsClients {
  readonly region: string;
  /** The one instance of `clientClass` for these settings, created on first use. */
  client<Client extends { destroy(): void }>(clientClass: AwsClientClass<Client>): Client;
  /** Closes the sockets of every client created so far; later `client()` calls create fresh ones. */
  destroy(): void;
}

export function createAwsClients(settings: AwsClientSettings): AwsClients {
  // Built per client rather than shared: the SDK keeps references into the config it is given.
  const configForNewClient = (): AwsClientConfig => {
    const config: AwsClientConfig = {
      region: settings.region,
      retryMode: 'standard',
      maxAttempts: settings.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      customUserAgent: [[USER_AGENT_NAME, settings.version ?? DOMTORY_VERSION]],
      requestHandler: {
        connectionTimeout: CONNECTION_TIMEOUT_MS,
        requestTimeout: settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
        throwOnRequestTimeout: true,
      },
    };
    if (settings.credentials !== undefined) config.credentials = settings.credentials;
    return config;
  };

  const created = new Map<AwsClientClass<{ destroy(): void }>, { destroy(): void }>();
  return {
    region: settings.region,
    client<Client extends { destroy(): void }>(clientClass: AwsClientClass<Client>): Client {
      const existing = created.get(clientClass);
      if (existing !== undefined) return existing as Client;
      const instance = new clientClass(configForNewClient());
      created.set(clientClass, instance);
      return instance;
    },
    destroy() {
      for (const instance of created.values()) instance.destroy();
      created.clear();
    },
  };
}
