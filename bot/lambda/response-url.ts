import type { RespondArguments } from '@slack/bolt';

/**
 * Answers a slash command through its `response_url` from the invocation a command was handed to, where Bolt's
 * `respond()` does not exist. The URL comes from the internal command event; it is used only when it points at
 * Slack's own host for command responses (or at the origin of `SLACK_API_URL`, a test's fake or an emulator), so
 * even a forged event could not make the function post anywhere else.
 */

const SLACK_RESPONSE_ORIGIN = 'https://hooks.slack.com';

export function responseUrlAllowed(url: string, slackApiUrl: string | undefined): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username !== '' || parsed.password !== '') return false;
  if (parsed.origin === SLACK_RESPONSE_ORIGIN) return true;
  return slackApiUrl !== undefined && parsed.origin === new URL(slackApiUrl).origin;
}

export type Respond = (message: string | RespondArguments) => Promise<unknown>;

/** Slack answers a response_url at once; a hung one must not hold the worker's invocation. */
const RESPONSE_TIMEOUT_MS = 10_000;

export function responder(url: string): Respond {
  return async (message) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(typeof message === 'string' ? { text: message } : message),
      redirect: 'error',
      signal: AbortSignal.timeout(RESPONSE_TIMEOUT_MS),
    });
    // The body is Slack's; reading it releases the connection.
    await response.text().catch(() => '');
    if (!response.ok) throw new Error(`the response_url answered ${response.status}`);
    return undefined;
  };
}
