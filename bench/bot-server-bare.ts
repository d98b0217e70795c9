/**
 * The anchor: a bare Bolt app with the same routes (`/slack/events` with a `/domtory` command, `/sns`, `/healthz`)
 * whose listeners only answer. It loads nothing of the bot, so the difference is what the bot's work costs.
 */
import { serveBareBoltApp } from './bare-bolt-app.js';

await serveBareBoltApp((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('accepted');
  });
});
