import type { ProgressEvent, ProgressListener, RecoveryResult } from '../../shared/index.js';
import type { Logger } from '../logger.js';
import type { PostedMessage, SlackPoster } from '../slack/slack-poster.js';
import { renderDetails, warningMessage } from './details.js';
import { applyEvent, initialState, type ProgressState, renderProgress } from './progress-view.js';

/**
 * Turns one recovery's events into one Slack message that updates in place, with details in its thread.
 *
 * Updates are coalesced: at most one `chat.update` per `minUpdateIntervalMs` (Slack allows about 50 a minute),
 * always carrying the latest state, and calls are serialised so an older state can never overwrite a newer one.
 * The final state and the thread are sent as soon as the recovery finishes. Nothing here throws into the core.
 */
export interface ProgressRendererOptions {
  slack: SlackPoster;
  channel: string;
  target: string;
  dryRun: boolean;
  header: string;
  /** Take over an existing message (an alarm whose Restart button was pressed) instead of posting a new one. */
  existing?: PostedMessage;
  minUpdateIntervalMs?: number;
  logger: Logger;
}

export interface ProgressRenderer {
  onEvent: ProgressListener;
  /** Where the progress message is, once Slack has it; `undefined` when it could not be posted. */
  readonly posted: Promise<PostedMessage | undefined>;
  /** Resolves when the final message and its thread have been sent (or given up on). */
  readonly finished: Promise<void>;
  /** Ends the message without a result (the run crashed), so it does not say "running" forever. */
  abort(reason: string): void;
}

export const DEFAULT_MIN_UPDATE_INTERVAL_MS = 1_500;
const MAX_POST_ATTEMPTS = 3;

export function createProgressRenderer(options: ProgressRendererOptions): ProgressRenderer {
  const { slack, logger } = options;
  const interval = options.minUpdateIntervalMs ?? DEFAULT_MIN_UPDATE_INTERVAL_MS;
  const state: ProgressState = initialState(options.target, options.dryRun);
  let message: PostedMessage | undefined = options.existing;
  let postAttempts = 0;
  let dirty = false;
  let inFlight = false;
  let finishing = false;
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pendingWarnings: string[] = [];
  let chain: Promise<void> = Promise.resolve();

  let resolvePosted: (value: PostedMessage | undefined) => void = () => {};
  const posted = new Promise<PostedMessage | undefined>((resolve) => {
    resolvePosted = resolve;
  });
  if (message !== undefined) resolvePosted(message);
  let resolveFinished: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    resolveFinished = resolve;
  });

  const enqueue = (work: () => Promise<void>): Promise<void> => {
    chain = chain.then(work).catch((error: unknown) => {
      logger.error('progress.render-failed', { target: options.target, error });
    });
    return chain;
  };

  /** Sends the current state: the first time as a post, then as updates. */
  const send = async (): Promise<void> => {
    dirty = false;
    const content = renderProgress(state, options.header);
    if (message === undefined) {
      if (postAttempts >= MAX_POST_ATTEMPTS) return;
      postAttempts++;
      message = await slack.post(options.channel, content);
      if (message !== undefined || postAttempts >= MAX_POST_ATTEMPTS) resolvePosted(message);
    } else {
      await slack.update(message, content);
    }
    lastSentAt = performance.now();
    if (message !== undefined) {
      for (const warning of pendingWarnings.splice(0)) {
        await slack.post(message.channel, { ...warningMessage(warning), threadTs: message.ts });
      }
    }
  };

  const schedule = (): void => {
    dirty = true;
    if (timer !== undefined || inFlight || finishing) return;
    const wait = Math.max(0, lastSentAt + interval - performance.now());
    timer = setTimeout(flush, wait);
    // A pending cosmetic update must not keep a stopping process alive.
    timer.unref?.();
  };

  function flush(): void {
    timer = undefined;
    if (!dirty || finishing) return;
    inFlight = true;
    void enqueue(send).then(() => {
      inFlight = false;
      if (dirty && !finishing) schedule();
    });
  }

  const finish = (result: RecoveryResult): void => {
    finishing = true;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    void enqueue(async () => {
      await send();
      resolvePosted(message);
      if (message === undefined) return;
      for (const detail of renderDetails(result)) {
        await slack.post(message.channel, { ...detail, threadTs: message.ts });
      }
    }).then(() => {
      logger.debug('progress.rendered', { target: options.target, outcome: result.outcome });
      resolveFinished();
    });
  };

  return {
    posted,
    finished,
    abort(reason) {
      if (finishing) return;
      finishing = true;
      if (timer !== undefined) clearTimeout(timer);
      state.aborted = reason;
      void enqueue(send).then(() => {
        resolvePosted(message);
        resolveFinished();
      });
    },
    onEvent(event: ProgressEvent) {
      try {
        applyEvent(state, event);
        if (event.type === 'warning') pendingWarnings.push(event.message);
        if (event.type === 'recovery-finished') finish(event.result);
        else schedule();
      } catch (error) {
        logger.error('progress.event-failed', { target: options.target, error });
      }
    },
  };
}
