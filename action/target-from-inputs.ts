import { safeParseConfig, type Target } from '../shared/config/schema.js';

/**
 * A target described by inputs alone (`instance-id`, `aws-region`, ...), validated by the same schema as a config
 * file, so a value means the same thing and gets the same defaults whichever way it is given.
 */

/** Every field already parsed from its input (numbers as numbers, booleans as booleans); absent when not given. */
export interface TargetFields {
  name: string;
  instanceId: string;
  region: string;
  composeDirectory: string;
  composeCommand?: string;
  composeUser?: string;
  healthUrl?: string;
  healthExpectStatus?: number;
  escalate?: boolean;
  parameterPrefix?: string;
  alarm: {
    threshold?: number;
    statistic?: string;
    periodSeconds?: number;
    evaluationPeriods?: number;
    datapointsToAlarm?: number;
    topicArn?: string;
    rebootAction?: boolean;
    systemRecovery?: boolean;
  };
}

/** The config field a problem is about, as a dotted path below the target (`alarm.threshold`), or `name`. */
export type FieldProblem = (field: string, message: string) => void;

/** `undefined` when any field is invalid (each problem reported); the complete target otherwise. */
export function targetFromFields(
  fields: TargetFields,
  problem: FieldProblem,
): { target: Target; parameterPrefix: string } | undefined {
  const raw: Record<string, unknown> = {
    instanceId: fields.instanceId,
    region: fields.region,
    compose: withDefined({
      directory: fields.composeDirectory,
      command: fields.composeCommand,
      user: fields.composeUser,
    }),
    alarm: withDefined(fields.alarm),
  };
  if (fields.healthUrl !== undefined) {
    raw.healthCheck = withDefined({ url: fields.healthUrl, expectStatus: fields.healthExpectStatus });
  }
  if (fields.escalate !== undefined) raw.escalate = fields.escalate;
  const parsed = safeParseConfig(
    withDefined({ parameterPrefix: fields.parameterPrefix, targets: { [fields.name]: raw } }),
  );
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String);
      const field =
        path[0] === 'parameterPrefix'
          ? 'parameterPrefix'
          : path.length <= 2 && path[0] === 'targets'
            ? 'name'
            : path.slice(2).join('.');
      problem(
        field,
        issue.code === 'invalid_key' ? 'target names are lower-case letters, digits and "-"' : issue.message,
      );
    }
    return undefined;
  }
  const settings = parsed.data.targets[fields.name];
  if (settings === undefined) return undefined;
  return {
    target: { ...settings, name: fields.name, region: fields.region },
    parameterPrefix: parsed.data.parameterPrefix,
  };
}

/** Drops undefined members, so that "not given" lets the schema's default apply. */
function withDefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as Partial<T>;
}
