// The simulator's public surface: front ends, the demo and the benchmark import from here, not from its parts.
export {
  AWS_OPERATIONS,
  type AwsOperation,
  type BootFacts,
  type CallCounts,
  type ComposeRunFacts,
  createSimulatedCloud,
  DEFAULT_INSTANCE_ID,
  type SimFacts,
  type SimulatedCloud,
  type SimulatedCloudOptions,
} from './cloud.js';
export {
  getScenario,
  isScenarioName,
  SCENARIO_DESCRIPTIONS,
  SCENARIO_NAMES,
  SCENARIOS,
  type Scenario,
  type ScenarioName,
  SIM_TIMINGS,
} from './scenarios.js';
export { runSeedLambda, SEED_WAITER_DELAY_MS } from './seed-lambda.js';
export type { CommandFacts } from './ssm-model.js';
export { DEFAULT_START_AT, VirtualClock, type VirtualClockOptions } from './virtual-clock.js';
export type { TimelineEntry } from './world.js';
