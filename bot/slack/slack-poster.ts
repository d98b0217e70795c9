import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger.js';

/**
 * The only Slack Web API calls the bot makes outside a request: posting and updating messages. Every failure is
 * logged and turned into `undefined`/`false`, because a Slack outage must never stop or fail a recovery.
 */
export interface PostMessage {
  text: string;
  blocks?: KnownBlock[];
  threadTs?: string;
}

export interface PostedMessage {
  channel: string;
  ts: string;
}

export interface SlackPoster {
  post(channel: string, message: PostMessage): Promise<PostedMessage | undefined>;
  update(message: PostedMessage, content: { text: string; blocks?: KnownBlock[] }): Promise<boolean>;
}

export function createSlackPoster(client: WebClient, logger: Logger): SlackPoster {
  const failed = (method: string, channel: string, error: unknown) => {
    const data = (error as { data?: { error?: string } }).data;
    logger.warn('slack.call-failed', {
      method,
      channel,
      error: data?.error ?? (error as Error).message ?? String(error),
    });
  };
  return {
    async post(channel, message) {
      try {
        const response = await client.chat.postMessage({
          channel,
          text: message.text,
          ...(message.blocks === undefined ? {} : { blocks: message.blocks }),
          ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs }),
          // Links to the app's URL in a message (health check URLs) must not unfurl into the incident channel.
          unfurl_links: false,
          unfurl_media: false,
        });
        if (typeof response.ts !== 'string') return undefined;
        return {
          channel: typeof response.channel === 'string' ? response.channel : channel,
          ts: response.ts,
        };
      } catch (error) {
        failed('chat.postMessage', channel, error);
        return undefined;
      }
    },
    async update(message, content) {
      try {
        await client.chat.update({
          channel: message.channel,
          ts: message.ts,
          text: content.text,
          ...(content.blocks === undefined ? { blocks: [] } : { blocks: content.blocks }),
        });
        return true;
      } catch (error) {
        failed('chat.update', message.channel, error);
        return false;
      }
    },
  };
}
