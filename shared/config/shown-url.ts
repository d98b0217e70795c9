/**
 * A URL as progress messages, logs, Slack threads and job summaries show it: scheme, host and path. A health URL
 * may carry a token in its query or a password in its userinfo, and these messages reach places (a Slack channel,
 * a public repository's run log) where no secret should; `?…` says a query was there.
 */
export function shownUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '(an unreadable URL)';
  }
  return `${url.origin}${url.pathname}${url.search === '' ? '' : '?…'}`;
}
