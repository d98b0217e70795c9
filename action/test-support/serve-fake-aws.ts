import { writeFileSync } from 'node:fs';
import { startFakeAws } from './fake-aws.js';

/**
 * The dist tests' fake AWS as a standalone server, for check-dist.yml to run the action with `uses: ./` without an
 * AWS account: `tsx action/test-support/serve-fake-aws.ts <url-file>` writes the endpoint's URL to <url-file> and
 * serves until it is stopped. Every request is logged on stdout.
 */
const urlFile = process.argv[2];
if (urlFile === undefined) {
  console.error('usage: serve-fake-aws.ts <file to write the endpoint URL to>');
  process.exit(2);
}
const fake = await startFakeAws();
const logged = fake.calls.push.bind(fake.calls);
fake.calls.push = (...calls) => {
  for (const call of calls) console.log(`fake AWS: ${call.service}:${call.action}`);
  return logged(...calls);
};
writeFileSync(urlFile, fake.url);
console.log(`fake AWS listening on ${fake.url}`);
