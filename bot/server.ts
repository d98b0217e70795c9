/**
 * `npm run bot`: the long-running Slack bot. Run it anywhere but on the instance it guards (docs/slack-bot.md):
 * a hung instance cannot reboot itself, and its bot would go down with it.
 */
import { readFileSync } from 'node:fs';
import { parseConfig, summarizeError } from '../shared/index.js';
import { ENV_HELP, parseEnv } from './env.js';
import { createLogger } from './logger.js';
import { awsPortsProvider, type PortsProvider, simulatedPortsProvider } from './recovery/ports-provider.js';
import { startBot } from './start-bot.js';

/** How long a SIGTERM waits for running recoveries to finish before the process exits anyway. */
const DRAIN_MS = 25_000;

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(`usage: npm run bot\n\n${ENV_HELP}\n`);
    return;
  }
  const parsed = parseEnv(process.env);
  if (!parsed.ok) {
    process.stderr.write(
      `The bot cannot start:\n${parsed.problems.map((p) => `  - ${p}`).join('\n')}\n\n${ENV_HELP}\n`,
    );
    process.exitCode = 2;
    return;
  }
  const env = parsed.env;
  const logger = createLogger({ level: env.logLevel });
  let configText: string;
  try {
    configText = readFileSync(env.configPath, 'utf8');
  } catch (error) {
    logger.error('bot.config-unreadable', { path: env.configPath, error });
    process.exitCode = 2;
    return;
  }
  const config = parseConfig(configText, env.configPath);
  const ports: PortsProvider =
    env.simulate === undefined
      ? awsPortsProvider()
      : await simulatedPortsProvider({
          scenario: env.simulate,
          ...(env.simulatePace === undefined ? {} : { realMsPerVirtualSecond: env.simulatePace }),
        });
  const bot = await startBot({
    config,
    mode: env.mode,
    botToken: env.botToken,
    host: env.host,
    port: env.port,
    ports,
    logger,
    logLevel: env.logLevel,
    ...(env.signingSecret === undefined ? {} : { signingSecret: env.signingSecret }),
    ...(env.appToken === undefined ? {} : { appToken: env.appToken }),
    ...(env.slackApiUrl === undefined ? {} : { slackApiUrl: env.slackApiUrl }),
  });
  const shutdown = (signal: string) => {
    logger.info('bot.signal', { signal });
    bot.stop({ drainMs: DRAIN_MS }).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  const summary = summarizeError(error);
  process.stderr.write(
    `The bot cannot start: ${summary.message}\n${summary.fix === undefined ? '' : `${summary.fix}\n`}`,
  );
  process.exitCode = 1;
});
