import {
  RecoveryService,
  type RecoveryServiceOptions,
  type RecoveryStart,
  type RunningRecovery,
  runningKey,
  type StartAttempt,
} from '../recovery/recovery-service.js';
import { escapeText } from '../slack/format.js';
import { type InternalEvent, runEventOf } from './run-event.js';

/**
 * The recovery service the Slack listeners get on Lambda. Slack wants its answer within 3 seconds and Lambda
 * freezes the function once the answer is returned, so a recovery started by a button or `/domtory drill` is
 * not run here: it is handed to an asynchronous invocation of the same function (the internal run event), which
 * runs it with the ordinary `RecoveryService` within the 15-minute limit.
 *
 * Whether a recovery may start is decided where it always is: by the core's lock in Parameter Store, taken by
 * the worker. This service only keeps one container from handing over the same target twice within a few
 * seconds (a double click), which the long-running server's in-memory registry does as well.
 */

/** Sends one internal event to an asynchronous invocation; rejects when Lambda did not accept it. */
export type HandOff = (event: InternalEvent) => Promise<void>;

export interface DispatchingServiceOptions extends RecoveryServiceOptions {
  handOff: HandOff;
}

/** How long a hand-off counts as "running" in this container: until the worker holds the lock. */
const DEFAULT_RECENT_MS = 15_000;

export class DispatchingRecoveryService extends RecoveryService {
  readonly #handOff: HandOff;
  readonly #recent = new Map<string, RunningRecovery>();
  readonly #pending = new Set<Promise<void>>();

  constructor(options: DispatchingServiceOptions) {
    super(options);
    this.#handOff = options.handOff;
  }

  override running(target: string, dryRun = false): RunningRecovery | undefined {
    const recent = this.#recent.get(runningKey(target, dryRun));
    if (recent !== undefined && this.now() - recent.startedAt < DEFAULT_RECENT_MS) return recent;
    return super.running(target, dryRun);
  }

  override start(request: RecoveryStart): StartAttempt {
    const { logger, slack, channel } = this.options;
    const holder = this.running(request.target.name, request.dryRun);
    if (holder !== undefined) {
      logger.info('recovery.refused', {
        target: request.target.name,
        dryRun: request.dryRun,
        reason: 'handed-over-moments-ago',
        holder: holder.owner,
      });
      return { started: false, holder };
    }
    const startedAt = this.now();
    const event = runEventOf(request, startedAt);
    const log = logger.child({ target: request.target.name, dryRun: request.dryRun, runId: event.id });
    const dispatched = this.#handOff(event).then(
      () => log.info('lambda.handed-over', { trigger: event.trigger.kind, actor: event.trigger.actor }),
      async (error: unknown) => {
        log.error('lambda.hand-over-failed', { error });
        // The person was told it started; the channel must hear that it did not.
        await slack.post(channel, {
          text:
            `⚠️ The ${request.dryRun ? 'drill' : 'restart'} of *${escapeText(request.target.name)}* could not be started: ` +
            'the bot failed to hand it to its worker. Nothing was changed. Try again, or use the GitHub Action.',
        });
      },
    );
    this.#pending.add(dispatched);
    void dispatched.finally(() => this.#pending.delete(dispatched));
    const run: RunningRecovery = {
      owner: request.owner,
      startedAt,
      posted: Promise.resolve(request.message),
      // The result lives in the worker's invocation, not here.
      result: dispatched.then(() => undefined),
    };
    this.#recent.set(runningKey(request.target.name, request.dryRun), run);
    return { started: true, run };
  }

  /** Resolves when every hand-off started so far has been accepted (or reported as failed). */
  async handedOver(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}
