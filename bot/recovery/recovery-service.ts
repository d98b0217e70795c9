import {
  type Config,
  type ProgressListener,
  type RecoveryResult,
  runRecovery,
  type Target,
  type Trigger,
} from '../../shared/index.js';
import type { Logger } from '../logger.js';
import { createProgressRenderer } from '../progress/progress-renderer.js';
import type { PostedMessage, SlackPoster } from '../slack/slack-poster.js';
import type { PortsProvider } from './ports-provider.js';

/**
 * Starts recoveries for the bot's front doors (alarm, slash command, buttons) and keeps track of the ones this
 * process runs. The in-process registry answers "is one running?" at once and without AWS; the core's lock in
 * Parameter Store is what keeps the bot and the GitHub Action (or a second bot) from running two at a time.
 */

export interface RecoveryStart {
  target: Target;
  trigger: Trigger;
  dryRun: boolean;
  /** Lock owner, shown to anyone refused: `slack:U0123`, `alarm:<name>`. */
  owner: string;
  /** First line of the progress message. */
  header: string;
  /** Render into this message (the alarm's) instead of posting a new one. */
  message?: PostedMessage;
  /** See RecoveryRequest.requestId: a request that may arrive twice (a Lambda worker's run event). */
  requestId?: string;
  /**
   * The alarm whose Restart button asked for this, and its message: a Lambda worker checks that the alarm is still
   * open before it starts (the Slack invocation answers before any AWS read).
   */
  alarm?: { name: string; threadTs: string };
}

export interface RunningRecovery {
  owner: string;
  /** Wall-clock ms when this process started it. */
  startedAt: number;
  /** Where its progress message is, once posted. */
  posted: Promise<PostedMessage | undefined>;
  /** The core's result; never rejects. */
  result: Promise<RecoveryResult | undefined>;
}

export type StartAttempt =
  | { started: true; run: RunningRecovery }
  | { started: false; holder: RunningRecovery };

export interface RecoveryServiceOptions {
  config: Config;
  ports: PortsProvider;
  slack: SlackPoster;
  /** The channel progress messages go to. */
  channel: string;
  logger: Logger;
  minUpdateIntervalMs?: number;
  now?: () => number;
  /** Called with every result, after the progress message has its final state (the alarm router asks a person). */
  onFinished?: (run: RunningRecovery, result: RecoveryResult) => Promise<void> | void;
}

export class RecoveryService {
  readonly #options: RecoveryServiceOptions;
  /** Real recoveries and drills are tracked apart: a drill must never stand in the way of a real restart. */
  readonly #running = new Map<string, RunningRecovery>();
  /** One per running recovery: what `stopAll` pulls. */
  readonly #stoppers = new Map<RunningRecovery, AbortController>();
  /** Set by `stopAll` until `resume`: a recovery that starts meanwhile is stopped at once, for the same reason. */
  #stopReason: string | undefined;
  readonly #all = new Set<Promise<void>>();

  constructor(options: RecoveryServiceOptions) {
    this.#options = options;
  }

  get ports(): PortsProvider {
    return this.#options.ports;
  }

  get config(): Config {
    return this.#options.config;
  }

  /** For a subclass that starts recoveries its own way (Lambda's hand-off) but reports as this one does. */
  protected get options(): RecoveryServiceOptions {
    return this.#options;
  }

  protected now(): number {
    return (this.#options.now ?? Date.now)();
  }

  running(target: string, dryRun = false): RunningRecovery | undefined {
    return this.#running.get(runningKey(target, dryRun));
  }

  get runningCount(): number {
    return this.#running.size;
  }

  /** Decides synchronously, so two clicks in the same millisecond cannot both start one. */
  start(request: RecoveryStart): StartAttempt {
    const slot = runningKey(request.target.name, request.dryRun);
    const holder = this.#running.get(slot);
    if (holder !== undefined) {
      this.#options.logger.info('recovery.refused', {
        target: request.target.name,
        dryRun: request.dryRun,
        trigger: request.trigger.kind,
        actor: request.trigger.actor,
        reason: 'running-in-this-process',
        holder: holder.owner,
      });
      return { started: false, holder };
    }
    const { logger, slack, channel } = this.#options;
    const renderer = createProgressRenderer({
      slack,
      channel,
      target: request.target.name,
      dryRun: request.dryRun,
      header: request.header,
      logger,
      ...(request.message === undefined ? {} : { existing: request.message }),
      ...(this.#options.minUpdateIntervalMs === undefined
        ? {}
        : { minUpdateIntervalMs: this.#options.minUpdateIntervalMs }),
    });
    const log = logger.child({
      target: request.target.name,
      instanceId: request.target.instanceId,
      dryRun: request.dryRun,
    });
    const startedAt = this.now();
    const stopper = new AbortController();
    // Work in flight when the bot was told to stop (an alarm being routed) may still start one.
    if (this.#stopReason !== undefined) stopper.abort(new Error(this.#stopReason));
    const result = this.#run(request, renderer.onEvent, log, stopper.signal);
    const run: RunningRecovery = { owner: request.owner, startedAt, posted: renderer.posted, result };
    const settled = result.then(async (outcome) => {
      this.#running.delete(slot);
      this.#stoppers.delete(run);
      if (outcome === undefined) renderer.abort('the bot hit an internal error; check the instance by hand');
      await renderer.finished;
      if (outcome !== undefined && this.#options.onFinished !== undefined) {
        try {
          await this.#options.onFinished(run, outcome);
        } catch (error) {
          log.error('recovery.after-failed', { error });
        }
      }
    });
    this.#running.set(slot, run);
    this.#stoppers.set(run, stopper);
    this.#all.add(settled);
    void settled.finally(() => this.#all.delete(settled));
    log.info('recovery.started', {
      trigger: request.trigger.kind,
      actor: request.trigger.actor,
      owner: request.owner,
    });
    return { started: true, run };
  }

  async #run(
    request: RecoveryStart,
    onEvent: ProgressListener,
    log: Logger,
    signal: AbortSignal,
  ): Promise<RecoveryResult | undefined> {
    try {
      const ports = await this.#options.ports.portsFor(request.target);
      const result = await runRecovery(
        {
          target: request.target,
          trigger: request.trigger,
          dryRun: request.dryRun,
          owner: request.owner,
          parameterPrefix: this.#options.config.parameterPrefix,
          signal,
          ...(request.requestId === undefined ? {} : { requestId: request.requestId }),
        },
        ports,
        onEvent,
      );
      log.info('recovery.finished', {
        outcome: result.outcome,
        durationMs: result.durationMs,
        newBootSeen: result.newBootSeen,
        escalated: result.escalated,
        ...(result.error === undefined ? {} : { error: result.error.code, message: result.error.message }),
        ...(result.lockHolder === undefined ? {} : { lockHolder: result.lockHolder.owner }),
      });
      return result;
    } catch (error) {
      // runRecovery reports operational failures in its result; reaching here is a bug or a broken port.
      log.error('recovery.crashed', { error });
      return undefined;
    }
  }

  /**
   * Stops every recovery this process runs, for a shutdown or a deadline that will not wait. Each one ends as
   * `aborted` the way the core ends any stopped run: queued commands cancelled, lock released, history written,
   * and its message showing `reason`. Left to be killed instead, it would keep its lock until the lock expires
   * and its message would read "running" for good. Recoveries started afterwards stop at once, until `resume()`.
   * Returns how many were running; `idle()` says when they are done.
   */
  stopAll(reason: string): number {
    this.#stopReason = reason;
    const stoppers = [...this.#stoppers.values()].filter((stopper) => !stopper.signal.aborted);
    for (const stopper of stoppers) stopper.abort(new Error(reason));
    return stoppers.length;
  }

  /** Undoes `stopAll` for recoveries started from now on (a Lambda container's next invocation). */
  resume(): void {
    this.#stopReason = undefined;
  }

  /** Resolves when every recovery started so far has finished and its messages are sent; for shutdown and tests. */
  async idle(): Promise<void> {
    while (this.#all.size > 0) await Promise.all([...this.#all]);
  }
}

/** The registry's slot: real recoveries and drills of a target are kept apart. */
export function runningKey(target: string, dryRun: boolean): string {
  return `${dryRun ? 'drill' : 'run'}:${target}`;
}
