/**
 * Markdown for the job summary. GitHub renders summaries as GitHub-flavoured Markdown with inline HTML, so any
 * text that came from an instance or from AWS is escaped: a `|` would break a table, a `<` would become a tag.
 */

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export function cell(text: string): string {
  return escapeHtml(text).replaceAll('|', '\\|').replaceAll('\r', '').replaceAll('\n', '<br>');
}

export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(headers), `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** A fenced block whose fence is longer than any backtick run inside, so output cannot close it early. */
export function codeBlock(text: string, language = ''): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text.replace(/\n+$/, '')}\n${fence}`;
}

export function details(summary: string, body: string): string {
  return `<details><summary>${escapeHtml(summary)}</summary>\n\n${body}\n\n</details>`;
}

/**
 * One of GitHub's alert blocks: the red CAUTION says why the job failed, the yellow WARNING what the run noticed
 * without failing. A line's own newlines stay inside the block.
 */
export function alert(kind: 'CAUTION' | 'WARNING', lines: readonly string[]): string {
  return [`> [!${kind}]`, ...lines.map((line) => `> ${escapeHtml(line).replaceAll('\n', '\n> ')}`)].join(
    '\n',
  );
}

/** `12.3 s`, `4 min 5 s`, `3 h 20 min`, `5 d 2 h`: precise where a step's length matters, coarse for uptimes. */
export function seconds(ms: number): string {
  if (ms < 90_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalMinutes = Math.floor(ms / 60_000);
  if (totalMinutes < 90) return `${totalMinutes} min ${Math.round((ms % 60_000) / 1000)} s`;
  const totalHours = Math.floor(totalMinutes / 60);
  if (totalHours < 48) return `${totalHours} h ${totalMinutes % 60} min`;
  return `${Math.floor(totalHours / 24)} d ${totalHours % 24} h`;
}
