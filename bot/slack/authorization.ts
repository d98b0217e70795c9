import type { Config } from '../../shared/index.js';

type SlackSettings = NonNullable<Config['slack']>;

/** Restart, drill and every button: only users listed in the config. An empty list means nobody. */
export function userMayAct(settings: SlackSettings, user: string | undefined): boolean {
  return user !== undefined && settings.allowedUsers.includes(user);
}

/** With `allowedChannels` set, only those channels (and the bot's own channel) take commands and clicks. */
export function channelAllowed(settings: SlackSettings, channel: string | undefined): boolean {
  if (settings.allowedChannels === undefined) return true;
  if (channel === undefined) return false;
  return channel === settings.channel || settings.allowedChannels.includes(channel);
}
