import { describe, expect, it } from 'vitest';
import { alert, codeBlock, seconds, table } from './markdown.js';

describe('markdown for the job summary', () => {
  it('keeps instance output from breaking a table or becoming HTML', () => {
    expect(table(['a', 'b'], [['x | y', '<script>\nnext']])).toBe(
      '| a | b |\n| --- | --- |\n| x \\| y | &lt;script&gt;<br>next |',
    );
  });

  it('fences code with more backticks than it contains', () => {
    expect(codeBlock('a ``` b\n\n')).toBe('````\na ``` b\n````');
  });

  it('puts a failure in a red alert block, and a warning in a yellow one', () => {
    expect(alert('CAUTION', ['**lock-held**: held by <bot>', 'Fix: wait'])).toBe(
      '> [!CAUTION]\n> **lock-held**: held by &lt;bot&gt;\n> Fix: wait',
    );
    expect(alert('WARNING', ['slow\nstart'])).toBe('> [!WARNING]\n> slow\n> start');
  });

  it('says durations at the precision they deserve', () => {
    expect([1234, 95_000, 3 * 3_600_000 + 60_000, 5 * 86_400_000].map(seconds)).toEqual([
      '1.2 s',
      '1 min 35 s',
      '3 h 1 min',
      '5 d 0 h',
    ]);
  });
});
