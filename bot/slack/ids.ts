import * as z from 'zod/mini';

/** Action ids of the bot's buttons, and the small JSON value each carries. */
export const ACTION = {
  alarmRestart: 'domtory_alarm_restart',
  alarmIgnore: 'domtory_alarm_ignore',
  restartConfirm: 'domtory_restart_confirm',
  restartCancel: 'domtory_restart_cancel',
} as const;

export interface ButtonValue {
  /** Target name: looked up in the config again when the button is pressed. */
  target: string;
  /** The alarm the button answers, when it answers one. */
  alarm?: string;
  /** The button answers several alarms gathered into one message; `alarm` is only the first of them. */
  gathered?: boolean;
}

export function encodeValue(value: ButtonValue): string {
  // Slack limits a button value to 2,000 characters.
  return JSON.stringify({
    t: value.target,
    ...(value.alarm === undefined ? {} : { a: value.alarm.slice(0, 255) }),
    ...(value.gathered === true ? { g: 1 } : {}),
  });
}

export function decodeValue(raw: unknown): ButtonValue | undefined {
  if (typeof raw !== 'string' || raw.length > 2_000) return undefined;
  try {
    const parsed = JSON.parse(raw) as { t?: unknown; a?: unknown; g?: unknown };
    if (typeof parsed.t !== 'string') return undefined;
    return {
      target: parsed.t,
      ...(typeof parsed.a === 'string' && parsed.a !== '' ? { alarm: parsed.a } : {}),
      ...(parsed.g === 1 ? { gathered: true } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * A channel or user id as Slack writes it (`C0123ABC`, `U0123ABC`). Values the bot stores or hands to itself are
 * checked against it so that nothing else can end up in a mention or an API call.
 */
export const slackIdSchema = z.string().check(z.regex(/^[A-Z0-9]{2,}$/));

/** A message's `ts` (`1700000000.000100`): with the channel, the only handle Slack gives a message. */
export const slackTsSchema = z.string().check(z.regex(/^\d+\.\d+$/));

/** Where a message is, as the bot remembers it or hands it to another invocation. */
export const slackMessageRefSchema = z.strictObject({ channel: slackIdSchema, ts: slackTsSchema });
