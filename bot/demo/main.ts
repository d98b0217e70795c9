/**
 * `npm run demo`: an alarm-triggered recovery of a simulated t2.micro, rendered in the terminal. No AWS account:
 * the simulator plays the instance, SSM, CloudWatch and Parameter Store on a virtual clock, sped up so that
 * minutes of recovery take seconds.
 */
import { parseArgs } from 'node:util';
import { parseConfig, resolveTarget, runRecovery, STEP_TITLES } from '../../shared/index.js';
import { createSimulatedCloud, SCENARIO_DESCRIPTIONS, SCENARIO_NAMES } from '../../shared/sim/index.js';
import { createTerminalRenderer } from './terminal-renderer.js';

const USAGE = `usage: npm run demo -- [--scenario NAME] [--drill] [--speed MS] [--json]

  --scenario NAME  the incident to simulate (default: clean)
  --drill          a dry run: every EC2 call with DryRun=true, nothing restarted
  --speed MS       real milliseconds per simulated second (default: 25; 0 = as fast as possible)
  --json           print the progress events as JSON lines instead of text

scenarios:
${SCENARIO_NAMES.map((name) => `  ${name.padEnd(18)} ${SCENARIO_DESCRIPTIONS[name]}`).join('\n')}`;

const DEMO_CONFIG = `
region: ap-northeast-2
targets:
  domtory:
    instanceId: i-0123456789abcdef0
    compose: { directory: /home/ubuntu, user: ubuntu }
    healthCheck: { url: "http://domtory.internal/health" }
    policy: auto
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parse>;
  const parse = () =>
    parseArgs({
      options: {
        scenario: { type: 'string', default: 'clean' },
        drill: { type: 'boolean', default: false },
        speed: { type: 'string', default: '25' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
  try {
    args = parse();
  } catch (error) {
    fail((error as Error).message);
  }
  const { values } = args;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const scenario = values.scenario;
  if (!(SCENARIO_NAMES as readonly string[]).includes(scenario)) fail(`unknown scenario "${scenario}"`);
  const speed = Number(values.speed);
  if (!Number.isFinite(speed) || speed < 0) fail(`--speed must be a number of milliseconds, 0 or more`);

  const target = resolveTarget(parseConfig(DEMO_CONFIG, 'demo config'), 'domtory');
  const cloud = createSimulatedCloud({
    scenario: scenario as (typeof SCENARIO_NAMES)[number],
    instanceId: target.instanceId,
    realMsPerVirtualSecond: speed,
  });
  const color = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
  const write = (line: string) => process.stdout.write(`${line}\n`);
  const render = values.json
    ? (event: object) => write(JSON.stringify(event))
    : createTerminalRenderer(write, { color });

  if (!values.json) {
    write(
      `Simulated incident "${scenario}": ${SCENARIO_DESCRIPTIONS[scenario as (typeof SCENARIO_NAMES)[number]]}`,
    );
    write(`CloudWatch alarm domtory-cpu-high is in ALARM: CPUUtilization > 95 for 2 datapoints of 300 s.\n`);
  }
  const result = await runRecovery(
    {
      target,
      trigger: { kind: 'alarm', actor: 'domtory-cpu-high', detail: 'Threshold Crossed: CPUUtilization > 95' },
      dryRun: values.drill,
      owner: 'demo:terminal',
      parameterPrefix: '/domtory-recovery',
    },
    cloud.ports,
    render,
  );

  if (!values.json) {
    write('');
    write('step                    status      duration');
    for (const step of result.steps) {
      write(
        `${STEP_TITLES[step.step].padEnd(24)}${step.status.padEnd(12)}${(step.durationMs / 1000).toFixed(1).padStart(6)} s`,
      );
    }
    const facts = cloud.facts();
    write(
      `\nground truth from the simulator: ${facts.appUp ? 'the app runs' : 'the app does NOT run'}` +
        ` on boot ${facts.currentBootId.slice(0, 8)} (${facts.bootCount} boots seen), ${cloud.calls().total} AWS calls`,
    );
    write(
      `try another incident: npm run demo -- --scenario ${scenario === 'hung' ? 'slow-shutdown' : 'hung'}   (--help lists them)`,
    );
  }
  process.exitCode = result.outcome === 'recovered' || result.outcome === 'rehearsed' ? 0 : 1;
}

await main();
