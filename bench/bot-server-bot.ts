/**
 * The bot under benchmark, as `npm run bot` would run it with DOMTORY_SIMULATE: real HTTP server, real SNS
 * verification, JSON logs on stdout, the simulator instead of AWS, Slack calls to the fake.
 */

import { simulatedPortsProvider } from '../bot/recovery/ports-provider.js';
import { startBot } from '../bot/start-bot.js';
import { loopbackCertificateSource } from '../bot/test-support/sns-signer.js';
import { parseConfig } from '../shared/index.js';
import { BENCH_CONFIG, BENCH_SIGNING_SECRET } from './bot-fixtures.js';
import { answerBenchProbes } from './bot-server-probe.js';

const fakeSlackUrl = process.env.FAKE_SLACK_URL ?? '';
const bot = await startBot({
  config: parseConfig(BENCH_CONFIG, 'bench config'),
  mode: 'http',
  botToken: 'xoxb-bench',
  signingSecret: BENCH_SIGNING_SECRET,
  host: '127.0.0.1',
  port: 0,
  ports: await simulatedPortsProvider({ scenario: 'clean' }),
  slackApiUrl: `${fakeSlackUrl}/api/`,
  slackRetries: 0,
  // Test-only: the bench's certificate comes from the fake; production fetches from AWS hosts only.
  certificates: loopbackCertificateSource(fakeSlackUrl),
  confirmSubscription: async () => {},
});
answerBenchProbes();
process.send?.({ ready: true, port: bot.port });
process.on('disconnect', () => {
  void bot.stop().then(() => process.exit(0));
});
