import { createHmac } from 'node:crypto';

/** Requests as Slack sends them: form-encoded, signed with the app's signing secret (v0 HMAC-SHA256). */

export function slackSignature(secret: string, body: string, timestamp: number): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function signedHeaders(
  secret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(secret, body, timestamp),
  };
}

export function slashCommandBody(fields: {
  text: string;
  userId: string;
  channelId: string;
  responseUrl: string;
  command?: string;
}): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: 'T0TEST',
    team_domain: 'test',
    channel_id: fields.channelId,
    channel_name: 'ops',
    user_id: fields.userId,
    user_name: 'someone',
    command: fields.command ?? '/domtory',
    text: fields.text,
    api_app_id: 'A0TEST',
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: '1.2.3',
  }).toString();
}

export function blockActionBody(fields: {
  actionId: string;
  value: string;
  userId: string;
  channelId: string;
  responseUrl: string;
  message?: { ts: string; thread_ts?: string; text?: string; blocks?: unknown[] };
  ephemeral?: boolean;
}): string {
  const message = fields.message ?? { ts: '1700000000.000001', text: 'prompt', blocks: [] };
  const payload = {
    type: 'block_actions',
    user: { id: fields.userId, username: 'someone', team_id: 'T0TEST' },
    api_app_id: 'A0TEST',
    token: 'deprecated-verification-token',
    container: {
      type: 'message',
      message_ts: message.ts,
      channel_id: fields.channelId,
      is_ephemeral: fields.ephemeral ?? false,
    },
    trigger_id: '1.2.3',
    team: { id: 'T0TEST', domain: 'test' },
    is_enterprise_install: false,
    channel: { id: fields.channelId, name: 'ops' },
    message: { type: 'message', user: 'U0BOT', ...message },
    response_url: fields.responseUrl,
    actions: [
      {
        action_id: fields.actionId,
        block_id: 'b',
        value: fields.value,
        type: 'button',
        action_ts: '1700000000.1',
        text: { type: 'plain_text', text: 'x' },
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
