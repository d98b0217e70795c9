/**
 * The Lambda entry (`build/lambda/index.mjs`, handler `index.handler`). Settings are read and checked while the
 * function initialises: a config that cannot work here (deadlines longer than the timeout, instances the stack
 * did not grant) fails the cold start with every problem in the log, and no event is ever handled with it.
 */

import { DOMTORY_VERSION } from '../../shared/index.js';
import { createLogger, parseLevel } from '../logger.js';
import { lambdaAws } from './aws.js';
import { createLambdaHandler, type LambdaHandler } from './handler.js';
import { loadLambdaSettings } from './settings.js';

const logger = createLogger({ level: parseLevel(process.env.LOG_LEVEL) });
const loaded = loadLambdaSettings(process.env);
if (!loaded.ok) {
  logger.error('lambda.config-rejected', { problems: loaded.problems });
  throw new Error(
    `domtory-recovery cannot start on Lambda:\n${loaded.problems.map((p) => `  - ${p}`).join('\n')}`,
  );
}
const { settings } = loaded;
const aws = lambdaAws({ region: settings.region });
logger.info('lambda.ready', {
  version: DOMTORY_VERSION,
  targets: Object.keys(settings.config.targets),
  topics: settings.topicArns.length,
  timeoutSeconds: settings.functionTimeoutSeconds,
});

export const handler: LambdaHandler = createLambdaHandler({
  settings,
  ports: aws.ports,
  handOff: aws.handOff,
  logger: logger.child({ mode: 'lambda' }),
});
