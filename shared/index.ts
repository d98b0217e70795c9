// The core's public surface for the front ends. AWS adapters (`shared/aws/`) and the simulator (`shared/sim/`)
// are imported from their own folders, so a front end loads only the SDK clients it uses.
export {
  findTargetByInstanceId,
  formatIssues,
  parseConfig,
  resolveTarget,
  validateConfig,
} from './config/load.js';
export * from './config/schema.js';
export * from './errors.js';
export * from './ports.js';
export * from './recovery/events.js';
export {
  formatDuration,
  type RecoveryRequest,
  runRecovery,
  worstCaseDurationSeconds,
  worstCaseDurationTerms,
} from './recovery/sequence.js';
export {
  appendHistory,
  checkGuard,
  type GuardDecision,
  type HistoryEntry,
  readHistory,
  requestKey,
} from './state/history.js';
export { acquireLock, isLockExpired, type LockAttempt, lockParameterName, readLock } from './state/lock.js';
export { DOMTORY_VERSION } from './version.js';
