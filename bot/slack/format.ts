import type { KnownBlock } from '@slack/types';

/** Small formatting helpers shared by every Slack message the bot writes. */

/** Slack's mrkdwn treats `&`, `<` and `>` as control characters; anything from outside the bot is escaped. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** A code block that stays within a section's 3,000 characters; keeps the end, where errors usually are. */
export function codeBlock(text: string, max = 2_500): string {
  const trimmed = text.trim();
  const body = trimmed.length <= max ? trimmed : `…${trimmed.slice(trimmed.length - max + 1)}`;
  return `\`\`\`${body.replace(/```/g, "'''") || ' '}\`\`\``;
}

/** `2.3 s`, `41 s`, `3 min 12 s`, `1 h 5 min`. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 90) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    const rest = Math.round(seconds - minutes * 60);
    return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
  }
  const hours = Math.floor(minutes / 60);
  const restMinutes = minutes - hours * 60;
  return restMinutes === 0 ? `${hours} h` : `${hours} h ${restMinutes} min`;
}

/** A timestamp every reader sees in their own time zone, with a UTC fallback for clients that cannot. */
export function slackDate(epochMs: number): string {
  const iso = new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `<!date^${Math.floor(epochMs / 1000)}^{date_short_pretty} {time}|${iso}>`;
}

/**
 * Lock owners are written by the bot and the action as `slack:U0123`, `alarm:<name>`, `github:<actor or run>`;
 * shown as a mention, or as the plain text.
 */
export function describeOwner(owner: string): string {
  const slack = /^slack:([UW][A-Z0-9]{2,})$/.exec(owner);
  if (slack !== null) return `<@${slack[1]}>`;
  if (owner.startsWith('alarm:')) return `the alarm *${escapeText(owner.slice('alarm:'.length))}*`;
  if (owner.startsWith('github:')) return `GitHub (${escapeText(owner.slice('github:'.length))})`;
  return escapeText(owner);
}

/** A mrkdwn section, cut to stay under Slack's 3,000 characters per text object. */
export function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, 2_990) } };
}

/** A one-element mrkdwn context block, cut like `section`. */
export function context(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, 2_990) }] };
}
