/**
 * The benchmark's fake Slack, in a process of its own so that answering the bot's Web API calls does not compete
 * with the load generator for CPU. Serves the test SNS certificate it is sent over IPC.
 */
import { startFakeSlack } from '../bot/test-support/fake-slack.js';

const fake = await startFakeSlack({ record: false });
process.on('message', (message: { serveFile?: { path: string; body: string } }) => {
  if (message.serveFile !== undefined) {
    fake.serveFile(message.serveFile.path, message.serveFile.body);
    process.send?.({ served: message.serveFile.path });
  }
});
process.send?.({ ready: true, url: fake.url });
process.on('disconnect', () => {
  void fake.close().then(() => process.exit(0));
});
