import type { IncomingMessage, ServerResponse } from 'node:http';
import { App } from '@slack/bolt';
import { BENCH_SIGNING_SECRET } from './bot-fixtures.js';
import { answerBenchProbes } from './bot-server-probe.js';

/**
 * Serves a bare Bolt app with the bot's routes (`/slack/events` with a `/domtory` command that only acks, `/sns`,
 * `/healthz`) and tells the benchmark its port: the anchor, and the floors that differ from it only in `/sns`.
 */
export async function serveBareBoltApp(
  sns: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<void> {
  const fakeSlackUrl = process.env.FAKE_SLACK_URL ?? '';
  const app = new App({
    token: 'xoxb-bench',
    signingSecret: BENCH_SIGNING_SECRET,
    clientOptions: { slackApiUrl: `${fakeSlackUrl}/api/` },
    // Same initialisation as the bot: one auth.test at start, none per request.
    deferInitialization: true,
    customRoutes: [
      { path: '/sns', method: ['POST'], handler: sns },
      {
        path: '/healthz',
        method: ['GET'],
        handler: (_req: IncomingMessage, res: ServerResponse) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"ok":true}');
        },
      },
    ],
  });
  app.command('/domtory', async ({ ack }) => {
    await ack();
  });
  await app.init();
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as import('node:http').Server;
  const address = server.address();
  answerBenchProbes();
  process.send?.({ ready: true, port: typeof address === 'object' && address !== null ? address.port : 0 });
  process.on('disconnect', () => {
    void app.stop().then(() => process.exit(0));
  });
}
