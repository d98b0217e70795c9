import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';

/**
 * A local stand-in for Slack's Web API (`slackApiUrl`), for `response_url` posts, and for static files (the
 * test's SNS signing certificate). It records every call so tests can assert on what the bot actually sent.
 */

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  /** What the fake answered (the `ts` of a posted message, say). */
  result: Record<string, unknown>;
}

export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
}

export interface FakeSlack {
  url: string;
  apiUrl: string;
  calls: ApiCall[];
  responses: ResponseUrlPost[];
  fileGets: string[];
  /** A `response_url` the bot can post to; each id is recorded with what was posted. */
  responseUrl(id: string): string;
  serveFile(path: string, body: string): void;
  /** Make a Web API method answer `{ ok: false, error }` (or an HTTP status) from now on. */
  fail(method: string, how: { error?: string; status?: number }): void;
  callsOf(method: string): ApiCall[];
  waitFor<T>(probe: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

export interface FakeSlackOptions {
  botUserId?: string;
  botId?: string;
  /**
   * Keep every call's arguments (tests assert on them). A benchmark turns it off: a fake that hoards thousands
   * of payloads slows down with its own garbage collection and then makes the bot under test look slow.
   */
  record?: boolean;
  /** Fixed answers for some methods (`apps.connections.open` for Socket Mode). */
  answers?: Record<string, Record<string, unknown>>;
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const record = options.record ?? true;
  const counts: Record<string, number> = {};
  let topLevelPosts: string[] = [];
  const calls: ApiCall[] = [];
  const responses: ResponseUrlPost[] = [];
  const fileGets: string[] = [];
  const files = new Map<string, string>();
  const failures = new Map<string, { error?: string; status?: number }>();
  let ts = 1_700_000_000_000_100;

  const json = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  const answer = (method: string, args: Record<string, unknown>): Record<string, unknown> => {
    const fixed = options.answers?.[method];
    if (fixed !== undefined) return fixed;
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://test.slack.com/',
          team: 'Test',
          user: 'domtory',
          team_id: 'T0TEST',
          user_id: options.botUserId ?? 'U0BOT',
          bot_id: options.botId ?? 'B0BOT',
        };
      case 'chat.postMessage': {
        ts += 100;
        const stamp = `${Math.floor(ts / 1_000_000)}.${String(ts % 1_000_000).padStart(6, '0')}`;
        return { ok: true, channel: args.channel, ts: stamp, message: { text: args.text, ts: stamp } };
      }
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts };
      default:
        return { ok: true };
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (req.method === 'GET' && files.has(url.pathname)) {
      fileGets.push(url.pathname);
      res.writeHead(200, { 'content-type': 'application/x-pem-file' });
      res.end(files.get(url.pathname));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/__stats') {
      // For a benchmark running this fake in another process: counts only, never the payloads.
      json(res, 200, { counts, topLevelPosts: topLevelPosts.slice(-100) });
      return;
    }
    if (url.pathname.startsWith('/response/')) {
      responses.push({
        id: url.pathname.slice('/response/'.length),
        body: JSON.parse(text || '{}') as Record<string, unknown>,
      });
      json(res, 200, { ok: true });
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      const method = url.pathname.slice('/api/'.length);
      const args: Record<string, unknown> = {};
      const raw =
        req.headers['content-type']?.includes('application/json') === true
          ? (JSON.parse(text || '{}') as Record<string, unknown>)
          : (parseQuery(text) as Record<string, unknown>);
      for (const [key, value] of Object.entries(raw)) {
        // The Web API client sends nested values (blocks) as JSON strings in a form body; only a recording fake
        // needs them parsed, and parsing them costs the CPU a benchmark's bot competes for.
        args[key] =
          record && typeof value === 'string' && (value.startsWith('[') || value.startsWith('{'))
            ? safeParse(value)
            : value;
      }
      const auth = req.headers.authorization;
      const failure = failures.get(method);
      const result =
        failure?.status !== undefined
          ? { ok: false, error: 'fake_http_error' }
          : failure?.error !== undefined
            ? { ok: false, error: failure.error }
            : answer(method, args);
      counts[method] = (counts[method] ?? 0) + 1;
      if (record) calls.push({ method, args, token: auth?.replace(/^Bearer /, ''), result });
      else if (method === 'chat.postMessage' && args.thread_ts === undefined) {
        topLevelPosts.push(String(args.text).slice(0, 120));
        if (topLevelPosts.length > 1_000) topLevelPosts = topLevelPosts.slice(-100);
      }
      json(res, failure?.status ?? 200, result);
      return;
    }
    json(res, 404, { ok: false, error: 'unknown_path' });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => json(res, 500, { ok: false, error: 'fake_crashed' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  return {
    url: base,
    apiUrl: `${base}/api/`,
    calls,
    responses,
    fileGets,
    responseUrl: (id) => `${base}/response/${id}`,
    serveFile: (path, body) => files.set(path, body),
    fail: (method, how) => failures.set(method, how),
    callsOf: (method) => calls.filter((c) => c.method === method),
    async waitFor(probe, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = probe();
        if (value !== undefined && value !== false) return value as never;
        if (Date.now() > deadline) throw new Error('fake Slack: condition not met in time');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function safeParse(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
