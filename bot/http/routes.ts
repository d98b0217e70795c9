import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import type { SnsIntake } from '../sns/intake.js';
import type { WorkTracker } from '../work-tracker.js';
import { readBody } from './read-body.js';

/**
 * The bot's own HTTP routes (SNS intake and health), served by `routeListener` below in both modes: ahead of Bolt's
 * receiver on its server in HTTP mode, on a small server of its own in Socket Mode.
 */
export interface Route {
  path: string;
  method: string | string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

export const SNS_PATH = '/sns';
export const HEALTH_PATH = '/healthz';
/** A CloudWatch alarm notification is a few KB; 64 KiB leaves room for metric-math alarms with many metrics. */
export const DEFAULT_SNS_BODY_LIMIT = 64 * 1024;

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

/**
 * SNS always posts its JSON as `text/plain; charset=UTF-8`; `application/json` is accepted for hand-made tests
 * (curl). A body with no content type at all is not from SNS, and is refused like any other type.
 */
function acceptableContentType(value: string | undefined): boolean {
  const type = value?.split(';')[0]?.trim().toLowerCase();
  return type === 'text/plain' || type === 'application/json';
}

/**
 * Every method the route answers itself, so that each gets its 405 and its `sns.rejected` line: the dispatcher
 * answers a method a route does not list with a 405 of its own, and logs nothing.
 */
const SNS_METHODS = ['POST', 'GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'DELETE'];

export function snsRoute(options: {
  intake: SnsIntake;
  logger: Logger;
  work: WorkTracker;
  maxBodyBytes?: number;
}): Route {
  const { intake, logger, work } = options;
  const limit = options.maxBodyBytes ?? DEFAULT_SNS_BODY_LIMIT;
  return {
    path: SNS_PATH,
    method: SNS_METHODS,
    handler(req, res) {
      if (req.method !== 'POST') {
        logger.warn('sns.rejected', { status: 405, reason: 'method-not-allowed', method: req.method });
        req.resume();
        send(res, 405, 'method not allowed', { allow: 'POST' });
        return;
      }
      const contentType = req.headers['content-type'];
      if (!acceptableContentType(contentType)) {
        logger.warn('sns.rejected', {
          status: 415,
          reason: contentType === undefined ? 'missing-content-type' : 'unsupported-content-type',
          contentType: contentType?.slice(0, 100),
        });
        req.resume();
        send(res, 415, 'unsupported content type', { connection: 'close' });
        return;
      }
      // Before any verification work: with the backlog of earlier deliveries' work full, a 503 costs nothing
      // and loses nothing, since SNS delivers a 5xx-answered message again later.
      if (!work.admit()) {
        logger.warn('sns.rejected', {
          status: 503,
          reason: 'overloaded',
          pendingWork: work.pending,
          refused: work.refused,
        });
        req.resume();
        send(res, 503, 'overloaded', { 'retry-after': '5' });
        return;
      }
      void (async () => {
        const body = await readBody(req, limit);
        if (!body.ok) {
          logger.warn('sns.rejected', { status: body.status, reason: body.reason, limit });
          send(res, body.status, body.reason, { connection: 'close' });
          return;
        }
        const decision = await intake.handle({ body: body.text, headers: req.headers });
        // Answer first: SNS waits for this, and the recovery that may follow takes minutes.
        send(
          res,
          decision.status,
          decision.reason === undefined ? decision.outcome : `${decision.outcome}: ${decision.reason}`,
        );
        const job = decision.work;
        if (job !== undefined) {
          // Queued behind the answers of requests already waiting (see WorkTracker).
          work.schedule('sns', () =>
            job().catch((error: unknown) =>
              logger.error('sns.work-failed', { messageId: decision.messageId, error }),
            ),
          );
        }
      })().catch((error: unknown) => {
        logger.error('sns.failed', { error });
        send(res, 500, 'internal error');
      });
    },
  };
}

export function healthRoute(status: () => Record<string, unknown>): Route {
  return {
    path: HEALTH_PATH,
    method: ['GET', 'HEAD'],
    handler(_req, res) {
      const body = JSON.stringify({ ok: true, ...status() });
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'cache-control': 'no-store',
      });
      res.end(body);
    },
  };
}

/**
 * The bot's own routes in front of whatever else the server answers: Socket Mode's server has nothing else and
 * answers 404; in HTTP mode `fallback` is Bolt's receiver, which gets every other request (`/slack/events`).
 *
 * In HTTP mode Bolt could serve these routes itself as `customRoutes`, but its receiver parses each request's URL
 * and compiles every custom route's pattern again on every request before it finds one; SNS deliveries (retries
 * and storms included) and health probes skip all of that here. Matching is exact but for one trailing slash, as
 * Bolt's was.
 */
export function routeListener(
  routes: readonly Route[],
  logger: Logger,
  fallback?: (req: IncomingMessage, res: ServerResponse) => void,
) {
  const byPath = new Map(routes.map((route) => [route.path, route]));
  const methodsOf = new Map(
    routes.map((route) => [route, Array.isArray(route.method) ? route.method : [route.method]]),
  );
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = pathOf(req.url ?? '/');
    const route =
      byPath.get(path) ?? (path.length > 1 && path.endsWith('/') ? byPath.get(path.slice(0, -1)) : undefined);
    if (route === undefined) {
      if (fallback !== undefined) {
        fallback(req, res);
        return;
      }
      logger.debug('http.not-found', { path: path.slice(0, 200) });
      req.resume();
      send(res, 404, 'not found');
      return;
    }
    const methods = methodsOf.get(route) ?? [];
    if (!methods.includes(req.method ?? '')) {
      req.resume();
      send(res, 405, 'method not allowed', { allow: methods.join(', ') });
      return;
    }
    route.handler(req, res);
  };
}

/**
 * The path of a request target, without its query; an absolute-form target (`http://host/path`) too. A target no
 * URL parser accepts is returned as it is: it matches no route, and nothing is thrown at the server.
 */
function pathOf(target: string): string {
  if (!target.startsWith('/')) {
    try {
      return new URL(target, 'http://localhost').pathname;
    } catch {
      return target;
    }
  }
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}
