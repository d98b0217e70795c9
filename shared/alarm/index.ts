// The alarm spec, the provisioning plan and its applier. `sns-topics.ts` is left out on purpose: it is imported
// on demand, so that code which never manages a topic never loads the SNS client.
export * from './alarm-plan.js';
export {
  alarmsOnInstanceCpu,
  describeAlarmsByName,
  type ProvisionRequest,
  type ProvisionResult,
  provisionAlarms,
  targetAlarms,
} from './alarm-provisioner.js';
export * from './alarm-spec.js';
