import { type EvaluatedTemplate, isObject, type Json } from './cfn-template.js';

/**
 * What an IAM role in the (evaluated) template may do: every Allow statement that reaches it, from its inline
 * policies, the customer-managed policies it attaches and the `AWS::IAM::Policy` resources that name it. AWS
 * managed policies are listed by ARN, since their statements are not in the template.
 */

export interface GrantedStatement {
  /** Where the statement comes from: `GitHubRole/provision-alarms#ManageOwnAlarms`. */
  source: string;
  actions: string[];
  resources: string[];
  condition?: Json;
}

export interface RoleGrants {
  statements: GrantedStatement[];
  awsManagedPolicies: string[];
}

const asList = (value: Json | undefined): Json[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function statementsOf(document: Json | undefined, source: string): GrantedStatement[] {
  if (!isObject(document)) return [];
  return asList(document.Statement).flatMap((raw, index): GrantedStatement[] => {
    if (!isObject(raw)) return [];
    // NotAction / NotResource grant everything but a list: never least privilege, so refused outright.
    if ('NotAction' in raw || 'NotResource' in raw)
      throw new Error(`${source}: NotAction/NotResource is not allowed`);
    if (raw.Effect !== 'Allow') return [];
    const statement: GrantedStatement = {
      source: `${source}#${typeof raw.Sid === 'string' ? raw.Sid : index}`,
      actions: asList(raw.Action).map(String),
      resources: asList(raw.Resource).map(String),
    };
    if (raw.Condition !== undefined) statement.condition = raw.Condition;
    return [statement];
  });
}

export function roleGrants(template: EvaluatedTemplate, role: string): RoleGrants {
  const resource = template.resources[role];
  if (resource === undefined || resource.Type !== 'AWS::IAM::Role')
    throw new Error(`${role} is not a role in the template`);
  const self = `«${role}»`;
  const statements: GrantedStatement[] = [];
  const awsManagedPolicies: string[] = [];

  for (const policy of asList(resource.Properties.Policies)) {
    if (!isObject(policy)) continue;
    statements.push(...statementsOf(policy.PolicyDocument, `${role}/${String(policy.PolicyName)}`));
  }
  const attached = asList(resource.Properties.ManagedPolicyArns).map(String);
  for (const arn of attached) {
    const local = /^«([A-Za-z0-9]+)»$/.exec(arn)?.[1];
    if (local === undefined) {
      awsManagedPolicies.push(arn);
      continue;
    }
    const policy = template.resources[local];
    if (policy?.Type !== 'AWS::IAM::ManagedPolicy')
      throw new Error(`${role} attaches ${local}, which is not a managed policy`);
    statements.push(...statementsOf(policy.Properties.PolicyDocument, local));
  }
  for (const [name, other] of Object.entries(template.resources)) {
    const roles = asList(other.Properties.Roles).map(String);
    if (!roles.includes(self)) continue;
    if (other.Type === 'AWS::IAM::Policy')
      statements.push(...statementsOf(other.Properties.PolicyDocument, name));
    if (other.Type === 'AWS::IAM::ManagedPolicy' && !attached.includes(`«${name}»`)) {
      statements.push(...statementsOf(other.Properties.PolicyDocument, name));
    }
  }
  return { statements, awsManagedPolicies };
}

export function grantedActions(grants: RoleGrants): string[] {
  return [...new Set(grants.statements.flatMap((statement) => statement.actions))].sort();
}

export interface ActionComparison {
  /** The code can send it; the role may not. The call would fail with AccessDenied in production. */
  missing: string[];
  /** The role may; the code never sends it, and no allow-list entry explains why it is needed anyway. */
  extra: string[];
  /** Allow-list entries the role does not even grant: the explanation outlived the permission. */
  staleAllowances: string[];
}

/**
 * Both directions at once. `allowed` holds actions needed without an SDK command in our code (the Lambda
 * runtime writing logs, tag-on-create), each with the reason it is granted.
 */
export function compareActions(
  derived: readonly string[],
  granted: readonly string[],
  allowed: Readonly<Record<string, string>> = {},
): ActionComparison {
  const grantedSet = new Set(granted);
  const derivedSet = new Set(derived);
  return {
    missing: [...derivedSet].filter((action) => !grantedSet.has(action)).sort(),
    extra: [...grantedSet].filter((action) => !derivedSet.has(action) && !(action in allowed)).sort(),
    staleAllowances: Object.keys(allowed)
      .filter((action) => !grantedSet.has(action))
      .sort(),
  };
}
