/**
 * `npm run bench:logger`: what the bot's JSON logger costs on a request's path: a child logger with the request's
 * fields, then two lines, the shape of a slash command or an SNS delivery. The sink only counts characters, so the
 * figure is the formatting, not the write. In-process and single-threaded: the median of five runs.
 */
import { createLogger } from '../bot/logger.js';
import { median } from './stats.js';

const ITERATIONS = 200_000;
const RUNS = 5;

let characters = 0;
const logger = createLogger({
  sink: (line) => {
    characters += line.length;
  },
});

function run(): number {
  const started = performance.now();
  for (let i = 0; i < ITERATIONS; i++) {
    const log = logger.child({ user: 'U0ALLOWED', channel: 'C0OPS', subcommand: 'help' });
    log.info('slack.command', { target: 'web' });
    logger.info('sns.duplicate', {
      messageId: 'd0541963-aaaa-4bbb-8ccc-1234567890ab',
      type: 'Notification',
      topicArn: 'arn:aws:sns:ap-northeast-2:123456789012:domtory-alarms',
      status: 200,
    });
  }
  return ((performance.now() - started) * 1000) / ITERATIONS;
}

const samples = Array.from({ length: RUNS }, run);
const microsecondsPerRequest = Math.round(median(samples) * 1000) / 1000;
process.stdout.write(
  `${microsecondsPerRequest.toFixed(2)} µs for a child logger and two lines (${characters} characters written)\n`,
);
process.stdout.write(
  `${JSON.stringify({ bench: 'logger', iterations: ITERATIONS, microsecondsPerRequest })}\n`,
);
