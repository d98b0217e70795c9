/**
 * `npm run bench:recovery`: every simulated incident, recovered with default settings, against the floor the
 * simulator knows (the instant the new boot could first run a command, plus compose and healthcheck time), and
 * against the original Lambda's algorithm on the same incident. Prints a table and, last, one JSON line.
 *
 * Times are virtual (the simulator's clock), so the figures are exact and repeatable; the run takes about a second.
 */
import { type ProgressEvent, parseConfig, resolveTarget, runRecovery } from '../shared/index.js';
import {
  type AwsOperation,
  type CallCounts,
  createSimulatedCloud,
  runSeedLambda,
  SCENARIO_NAMES,
  SCENARIOS,
  type ScenarioName,
  SIM_TIMINGS,
} from '../shared/sim/index.js';
import { median } from './stats.js';

const TARGETS = { overheadMedianS: 3, overheadWorstS: 6, callsPerTwoSeconds: 1 };
/** How long after the seed Lambda returns its outcome is judged: long past any boot or compose of the simulator. */
const SEED_SETTLE_MS = 15 * 60_000;

const CONFIG = parseConfig(`
region: ap-northeast-2
targets:
  domtory:
    instanceId: i-0123456789abcdef0
    compose: { directory: /home/ubuntu, user: ubuntu }
    healthCheck: { url: "http://domtory.internal/health" }
    policy: auto
`);
const target = resolveTarget(CONFIG, 'domtory');

const SERVICES = ['ec2', 'ssm', 'parameterStore', 'cloudWatch'] as const;
type AwsService = (typeof SERVICES)[number];
const SERVICE_TITLES: Record<AwsService, string> = {
  ec2: 'EC2',
  ssm: 'SSM',
  parameterStore: 'Parameter Store',
  cloudWatch: 'CloudWatch',
};
/**
 * The service each of the simulator's operations belongs to, as AWS bills and throttles them (docs/lambda.md's cost
 * table has a column each). Parameter Store is part of the SSM API but has its own quotas and pricing, so it has its
 * own column. A Record over every operation, so that a new one in the simulator does not compile until it is placed.
 */
const SERVICE_OF: Record<AwsOperation, AwsService> = {
  DescribeInstances: 'ec2',
  RebootInstances: 'ec2',
  StopInstances: 'ec2',
  StartInstances: 'ec2',
  DescribeInstanceStatus: 'ec2',
  SendCommand: 'ssm',
  GetCommandInvocation: 'ssm',
  CancelCommand: 'ssm',
  DescribeInstanceInformation: 'ssm',
  GetMetricStatistics: 'cloudWatch',
  GetParameter: 'parameterStore',
  PutParameter: 'parameterStore',
  DeleteParameter: 'parameterStore',
};

function callsByService(calls: CallCounts): Record<AwsService, number> {
  const byService: Record<AwsService, number> = { ec2: 0, ssm: 0, parameterStore: 0, cloudWatch: 0 };
  for (const [operation, service] of Object.entries(SERVICE_OF) as Array<[AwsOperation, AwsService]>)
    byService[service] += calls[operation];
  return byService;
}

interface Row {
  scenario: ScenarioName;
  outcome: string;
  floorS: number;
  oursS: number;
  overheadS: number;
  awsCalls: number;
  /** `awsCalls` split by service; the parts add up to it. */
  awsCallsByService: Record<AwsService, number>;
  waitS: number;
  callsPerTwoSeconds: number;
  escalated: boolean;
  /** The simulator's ground truth: the app runs on a boot newer than the incident's, started there by compose. */
  appUpOnNewBoot: boolean;
  falseRecovered: boolean;
  seedS: number;
  seedOutcome: string;
  seedAppUpOnNewBoot: boolean;
}

async function measure(scenario: ScenarioName): Promise<Row> {
  const cloud = createSimulatedCloud({ scenario, instanceId: target.instanceId });
  const start = cloud.clock.now();
  let verifiedAt: number | undefined;
  let lastFailedAt: number | undefined;
  const onEvent = (event: ProgressEvent) => {
    // "Verified" is the verify step's end; a failed recovery's verdict is the step that failed last (a first boot
    // wait that runs out before an escalation fails too, and is no verdict).
    if (event.type === 'step-finished' && event.step === 'verify') verifiedAt ??= event.at;
    if (event.type === 'step-failed') lastFailedAt = event.at;
  };
  const result = await runRecovery(
    {
      target,
      trigger: { kind: 'alarm', actor: 'bench' },
      dryRun: false,
      owner: 'bench',
      parameterPrefix: '/bench',
    },
    cloud.ports,
    onEvent,
  );
  const facts = cloud.facts();
  const spec = SCENARIOS[scenario];
  if (facts.agentReadyAt === undefined) throw new Error(`${scenario}: the simulator never readied an agent`);
  // A failing compose ends its own floor: the failure is knowable once it exits on the new boot.
  const floorAt = spec.composeFails
    ? facts.agentReadyAt + SIM_TIMINGS.composeFailMs * spec.hostSlowdown
    : (facts.earliestHealthyAt ?? Number.NaN);
  const oursAt = verifiedAt ?? lastFailedAt ?? start + result.durationMs;
  const appUpOnNewBoot =
    facts.appUp &&
    facts.composeRanOnBootId === facts.currentBootId &&
    facts.currentBootId !== facts.bootIds[0];
  const counts = cloud.calls();
  const calls = counts.total;
  const awsCallsByService = callsByService(counts);
  const grouped = SERVICES.reduce((sum, service) => sum + awsCallsByService[service], 0);
  // The printed split must add up to the printed total, whatever the simulator comes to count.
  if (grouped !== calls) throw new Error(`${scenario}: ${grouped} calls grouped by service, ${calls} in all`);
  const waitS = result.durationMs / 1000;

  const seed = await measureSeed(scenario);
  return {
    scenario,
    outcome: result.outcome,
    floorS: (floorAt - start) / 1000,
    oursS: (oursAt - start) / 1000,
    overheadS: (oursAt - floorAt) / 1000,
    awsCalls: calls,
    awsCallsByService,
    waitS,
    callsPerTwoSeconds: calls / (waitS / 2),
    escalated: result.escalated,
    appUpOnNewBoot,
    falseRecovered: result.outcome === 'recovered' && !appUpOnNewBoot,
    ...seed,
  };
}

async function measureSeed(scenario: ScenarioName) {
  const cloud = createSimulatedCloud({ scenario, instanceId: target.instanceId });
  const start = cloud.clock.now();
  const seedOutcome = await runSeedLambda(cloud.ports, cloud.instanceId).then(
    () => 'returned',
    (error: unknown) => `threw: ${(error as Error).message.slice(0, 40)}`,
  );
  const seedS = (cloud.clock.now() - start) / 1000;
  await cloud.clock.sleep(SEED_SETTLE_MS);
  const facts = cloud.facts();
  const seedAppUpOnNewBoot =
    facts.appUp &&
    facts.composeRanOnBootId === facts.currentBootId &&
    facts.currentBootId !== facts.bootIds[0];
  return { seedS, seedOutcome, seedAppUpOnNewBoot };
}

const rows: Row[] = [];
for (const scenario of SCENARIO_NAMES) rows.push(await measure(scenario));

const f1 = (n: number) => n.toFixed(1);
const header = [
  'scenario',
  'outcome',
  'floor s',
  'ours s',
  'overhead s',
  'AWS calls',
  ...SERVICES.map((service) => SERVICE_TITLES[service]),
  'calls/2s',
  'app up, new boot',
  'seed s',
  'seed: app up, new boot',
];
const lines = rows.map((r) => [
  r.scenario,
  r.outcome + (r.escalated ? ' (escalated)' : ''),
  f1(r.floorS),
  f1(r.oursS),
  f1(r.overheadS),
  String(r.awsCalls),
  ...SERVICES.map((service) => String(r.awsCallsByService[service])),
  r.callsPerTwoSeconds.toFixed(2),
  r.appUpOnNewBoot ? 'yes' : 'no',
  f1(r.seedS),
  r.seedAppUpOnNewBoot ? 'yes' : `no (${r.seedOutcome})`,
]);
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
const print = (cells: string[]) => console.log(cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  '));
print(header);
print(widths.map((w) => '-'.repeat(w)));
for (const line of lines) print(line);

/** Fewest and most of a count over the scenarios, as `[min, max]`. */
const range = (of: (r: Row) => number): [number, number] => {
  const values = rows.map(of);
  return [Math.min(...values), Math.max(...values)];
};
const awsCallsRange = {
  total: range((r) => r.awsCalls),
  ...Object.fromEntries(SERVICES.map((service) => [service, range((r) => r.awsCallsByService[service])])),
} as Record<'total' | AwsService, [number, number]>;
const shownRange = ([low, high]: [number, number]) => (low === high ? String(low) : `${low}–${high}`);
console.log(
  `\nAWS calls per recovery over the ${rows.length} scenarios: ${shownRange(awsCallsRange.total)} in all; ` +
    SERVICES.map((service) => `${SERVICE_TITLES[service]} ${shownRange(awsCallsRange[service])}`).join(', '),
);

const overheads = rows.map((r) => r.overheadS);
const totalCalls = rows.reduce((sum, r) => sum + r.awsCalls, 0);
const totalWait = rows.reduce((sum, r) => sum + r.waitS, 0);
const summary = {
  overheadMedianS: Number(median(overheads).toFixed(2)),
  overheadWorstS: Number(Math.max(...overheads).toFixed(2)),
  callsPerTwoSeconds: Number((totalCalls / (totalWait / 2)).toFixed(3)),
  worstScenarioCallsPerTwoSeconds: Number(Math.max(...rows.map((r) => r.callsPerTwoSeconds)).toFixed(3)),
  falseRecovered: rows.filter((r) => r.falseRecovered).length,
  seedAppUpOnNewBoot: rows.filter((r) => r.seedAppUpOnNewBoot).length,
  awsCallsRange,
};
const met =
  summary.overheadMedianS <= TARGETS.overheadMedianS &&
  summary.overheadWorstS <= TARGETS.overheadWorstS &&
  summary.callsPerTwoSeconds <= TARGETS.callsPerTwoSeconds &&
  summary.falseRecovered === 0;
console.log(
  `overhead median ${summary.overheadMedianS} s (target ≤ ${TARGETS.overheadMedianS}), worst ${summary.overheadWorstS} s (≤ ${TARGETS.overheadWorstS}); ` +
    `${summary.callsPerTwoSeconds} AWS calls per 2 s of waiting (≤ ${TARGETS.callsPerTwoSeconds}); false "recovered": ${summary.falseRecovered}; ` +
    `seed Lambda brought the app up on a new boot in ${summary.seedAppUpOnNewBoot} of ${rows.length} scenarios. Targets ${met ? 'met' : 'NOT met'}.`,
);
console.log(JSON.stringify({ bench: 'recovery', targetsMet: met, ...summary, scenarios: rows }));
