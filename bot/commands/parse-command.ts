/**
 * `/domtory <subcommand> [target]`. The text is only split into words and compared with fixed names; a target
 * word is later looked up among the configured targets and used for nothing else, so no free text from Slack
 * ever reaches a shell, an AWS call or a message unescaped.
 */

export const SUBCOMMANDS = ['restart', 'drill', 'status', 'history', 'help'] as const;

export type ParsedCommand =
  | { kind: 'help' }
  | { kind: 'restart' | 'drill' | 'status' | 'history'; target?: string }
  | { kind: 'invalid'; problem: string };

const MAX_TEXT = 200;

export function parseCommand(text: string): ParsedCommand {
  if (text.length > MAX_TEXT)
    return { kind: 'invalid', problem: 'That is longer than any /domtory command.' };
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
  const [first, second, ...rest] = words;
  if (first === undefined) return { kind: 'help' };
  const sub = first.toLowerCase();
  if (!(SUBCOMMANDS as readonly string[]).includes(sub)) {
    return {
      kind: 'invalid',
      problem: `Unknown subcommand \`${first.slice(0, 30).replace(/[`<>&]/g, '')}\`.`,
    };
  }
  if (sub === 'help') return { kind: 'help' };
  if (rest.length > 0) return { kind: 'invalid', problem: `\`/domtory ${sub}\` takes at most one target.` };
  const kind = sub as 'restart' | 'drill' | 'status' | 'history';
  return second === undefined ? { kind } : { kind, target: second.toLowerCase() };
}
