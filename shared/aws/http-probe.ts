import { shownUrl } from '../config/shown-url.js';
import type { HttpProbePort, HttpProbeResult } from '../ports.js';
import { DOMTORY_VERSION } from '../version.js';
import { USER_AGENT_NAME } from './client-factory.js';

/** Enough of the body to recognise an error page in a Slack message, not enough to flood it. */
export const BODY_SNIPPET_CHARS = 200;

export interface HttpProbeOptions {
  /**
   * Sent as `User-Agent: domtory-recovery/<version>` so the app's access log can tell probes from users.
   * Defaults to `DOMTORY_VERSION`.
   */
  version?: string;
}

/**
 * Reads at most `maxChars` characters and then cancels the stream: a health URL that streams or serves a
 * large page must not keep the probe (or its memory) busy.
 */
async function readSnippet(response: Response, maxChars: number): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < maxChars) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
  } catch {
    // The status already answers the probe; a body cut off by the timeout or a reset keeps what was read.
  } finally {
    reader.cancel().catch(() => {});
  }
  return text.slice(0, maxChars);
}

/**
 * fetch refuses a URL with a user and password in it, so they travel as a Basic `Authorization` header instead,
 * as a browser would send them.
 */
function withoutCredentials(raw: string): { url: string; headers: Record<string, string> } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { url: raw, headers: {} };
  }
  if (url.username === '' && url.password === '') return { url: raw, headers: {} };
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return {
    url: url.href,
    headers: { authorization: `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}` },
  };
}

function describeFailure(error: unknown, url: string, timeoutMs: number): string {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer from ${shownUrl(url)} within ${timeoutMs} ms`;
  }
  const text =
    error instanceof Error
      ? // fetch reports every network failure as "fetch failed"; the cause says which (ECONNREFUSED, ENOTFOUND…).
        `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}`
      : String(error);
  // Some of fetch's messages quote the URL, query and all; messages reach Slack threads and run logs.
  return text.replaceAll(url, shownUrl(url));
}

export function createHttpProbe(options: HttpProbeOptions = {}): HttpProbePort {
  const userAgent = `${USER_AGENT_NAME}/${options.version ?? DOMTORY_VERSION}`;
  return {
    async get(url, timeoutMs): Promise<HttpProbeResult> {
      try {
        // One deadline for headers and body alike, so a server that trickles its body cannot outlast it.
        const signal = AbortSignal.timeout(timeoutMs);
        // Redirects are followed: the question is whether the app answers, and a login redirect is an answer.
        const plain = withoutCredentials(url);
        const response = await fetch(plain.url, {
          signal,
          headers: { 'user-agent': userAgent, ...plain.headers },
        });
        return { status: response.status, bodySnippet: await readSnippet(response, BODY_SNIPPET_CHARS) };
      } catch (error) {
        return { error: describeFailure(error, url, timeoutMs) };
      }
    },
  };
}
