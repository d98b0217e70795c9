import { describe, expect, it } from 'vitest';
import { parseCommand } from './parse-command.js';

describe('parseCommand', () => {
  it.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['  HELP  ', { kind: 'help' }],
    ['restart', { kind: 'restart' }],
    ['restart web', { kind: 'restart', target: 'web' }],
    ['Restart  Web', { kind: 'restart', target: 'web' }],
    ['drill web', { kind: 'drill', target: 'web' }],
    ['status', { kind: 'status' }],
    ['history api', { kind: 'history', target: 'api' }],
  ])('%j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it('refuses extra words and unknown subcommands without echoing markup', () => {
    expect(parseCommand('restart web; reboot')).toMatchObject({ kind: 'invalid' });
    const unknown = parseCommand('<!channel> now');
    expect(unknown.kind).toBe('invalid');
    expect(JSON.stringify(unknown)).not.toContain('<!channel>');
    expect(parseCommand('x'.repeat(500))).toMatchObject({ kind: 'invalid' });
  });
});
