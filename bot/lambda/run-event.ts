import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import type { DeferredCommand } from '../commands/domtory-command.js';
import type { RecoveryStart } from '../recovery/recovery-service.js';
import { slackIdSchema, slackMessageRefSchema, slackTsSchema } from '../slack/ids.js';

/**
 * The internal event a Slack-facing invocation sends to an asynchronous invocation of the same function: "run this
 * recovery". Only IAM principals allowed to invoke the function can send one (the Function URL's public
 * permission is limited to requests that arrive through the URL, and those are always classified as HTTP), and
 * the worker trusts only the target's *name* from it: the target itself is looked up in its own config again.
 */

export const RUN_EVENT_KIND = 'domtory-recovery/run';

export const runEventSchema = z.strictObject({
  kind: z.literal(RUN_EVENT_KIND),
  version: z.literal(1),
  /** De-duplicates an asynchronous delivery that Lambda repeats. */
  id: z.uuid(),
  requestedAt: z.iso.datetime(),
  target: z.string().check(z.minLength(1), z.maxLength(63)),
  dryRun: z.boolean(),
  owner: z.string().check(z.minLength(1), z.maxLength(200)),
  // Only Slack hands work over: alarms run in the invocation SNS or CloudWatch already made asynchronous.
  trigger: z.strictObject({
    kind: z.literal('slack'),
    actor: slackIdSchema,
    detail: z.optional(z.string().check(z.maxLength(300))),
  }),
  header: z.string().check(z.minLength(1), z.maxLength(1_000)),
  /** The alarm message whose Restart button was pressed: it becomes the progress message. */
  message: z.optional(slackMessageRefSchema),
  /** The alarm that button answered, and its thread: the worker checks that the alarm is not over yet. */
  alarm: z.optional(
    z.strictObject({ name: z.string().check(z.minLength(1), z.maxLength(255)), threadTs: slackTsSchema }),
  ),
});

export type RunEvent = z.output<typeof runEventSchema>;

export function runEventOf(request: RecoveryStart, now: number): RunEvent {
  const { trigger } = request;
  if (trigger.kind !== 'slack') {
    // A programming error, not an operational one: nothing but the Slack listeners hands work over.
    throw new Error(`only Slack-triggered recoveries are handed over, not "${trigger.kind}"`);
  }
  const event: RunEvent = {
    kind: RUN_EVENT_KIND,
    version: 1,
    id: randomUUID(),
    requestedAt: new Date(now).toISOString(),
    target: request.target.name,
    dryRun: request.dryRun,
    owner: request.owner,
    trigger: {
      kind: 'slack',
      actor: trigger.actor,
      ...(trigger.detail === undefined ? {} : { detail: trigger.detail.slice(0, 300) }),
    },
    header: request.header.slice(0, 1_000),
  };
  if (request.message !== undefined)
    event.message = { channel: request.message.channel, ts: request.message.ts };
  if (request.alarm !== undefined)
    event.alarm = { name: request.alarm.name, threadTs: request.alarm.threadTs };
  return event;
}

export type InternalEventParse<T> = { ok: true; event: T } | { ok: false; problem: string };

/** Validates an internal event against its schema; a refusal names the first few fields that were wrong. */
function parseInternalEvent<Schema extends z.ZodMiniType>(
  schema: Schema,
  raw: unknown,
): InternalEventParse<z.output<Schema>> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, event: parsed.data };
  return {
    ok: false,
    problem: parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`)
      .join('; '),
  };
}

export const parseRunEvent = (raw: unknown): InternalEventParse<RunEvent> =>
  parseInternalEvent(runEventSchema, raw);

/**
 * The second internal event: "answer this slash command". The Slack invocation acknowledges `/domtory status`,
 * `history` or `restart` at once and hands the rest (AWS reads, then the answer through the command's
 * `response_url`) to an asynchronous invocation, because Bolt's Lambda receiver answers Slack only once the
 * listener has returned. The worker plans the command again from its text, user and channel against its own
 * config, so it trusts nothing here that a Slack request would not have been checked for, and it posts only to
 * Slack's own response host (see `response-url.ts`).
 */
export const COMMAND_EVENT_KIND = 'domtory-recovery/command';

export const commandEventSchema = z.strictObject({
  kind: z.literal(COMMAND_EVENT_KIND),
  version: z.literal(1),
  id: z.uuid(),
  requestedAt: z.iso.datetime(),
  // parseCommand refuses anything longer than 200 characters at the ack already.
  text: z.string().check(z.maxLength(200)),
  user: slackIdSchema,
  channel: slackIdSchema,
  responseUrl: z.url({ protocol: /^https?$/ }).check(z.maxLength(1_000)),
});

export type CommandEvent = z.output<typeof commandEventSchema>;

/** `undefined` when the command cannot travel (a field Slack would never send); it is then answered in place. */
export function commandEventOf(command: DeferredCommand, now: number): CommandEvent | undefined {
  const parsed = commandEventSchema.safeParse({
    kind: COMMAND_EVENT_KIND,
    version: 1,
    id: randomUUID(),
    requestedAt: new Date(now).toISOString(),
    text: command.text,
    user: command.userId,
    channel: command.channelId,
    responseUrl: command.responseUrl,
  });
  return parsed.success ? parsed.data : undefined;
}

export const parseCommandEvent = (raw: unknown): InternalEventParse<CommandEvent> =>
  parseInternalEvent(commandEventSchema, raw);

/** What the function hands to an asynchronous invocation of itself. */
export type InternalEvent = RunEvent | CommandEvent;
