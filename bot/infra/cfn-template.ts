import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDocument, type Tags } from 'yaml';

/**
 * Reads a CloudFormation template as CloudFormation does: YAML with the short-form intrinsic tags (`!Ref`,
 * `!Sub`, `!GetAtt`, …) turned into their long forms, and evaluates it for given parameter values, so tests can
 * check both that every reference resolves and what the policies grant once CloudFormation has done its work.
 */

export const TEMPLATE_PATH = fileURLToPath(new URL('./template.yaml', import.meta.url));

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface Template {
  Parameters?: Record<string, { Type: string; Default?: Json; [key: string]: Json | undefined }>;
  Conditions?: Record<string, Json>;
  Mappings?: Record<string, Record<string, Record<string, Json>>>;
  Resources: Record<string, TemplateResource>;
  Outputs?: Record<string, { Value: Json; Condition?: string; [key: string]: Json | undefined }>;
  [section: string]: Json | undefined | Record<string, unknown>;
}

export interface TemplateResource {
  Type: string;
  Condition?: string;
  DependsOn?: string | string[];
  Properties?: Record<string, Json>;
  [key: string]: Json | undefined;
}

/** Short form → long form. `!GetAtt A.B` is the only scalar form that changes shape. */
const FUNCTIONS: Record<string, string> = {
  Ref: 'Ref',
  Condition: 'Condition',
  ...Object.fromEntries(
    [
      'Sub',
      'GetAtt',
      'Join',
      'Split',
      'Select',
      'If',
      'Equals',
      'Not',
      'And',
      'Or',
      'FindInMap',
      'Base64',
      'Cidr',
      'GetAZs',
      'ImportValue',
      'Transform',
    ].map((name) => [name, `Fn::${name}`]),
  ),
};

const CUSTOM_TAGS: Tags = Object.entries(FUNCTIONS).flatMap(([short, long]) => [
  {
    tag: `!${short}`,
    resolve: (text: string) => ({ [long]: short === 'GetAtt' ? splitGetAtt(text) : text }),
  },
  {
    tag: `!${short}`,
    collection: 'seq' as const,
    resolve: (seq: { toJSON(): unknown }) => ({ [long]: seq.toJSON() }),
  },
  {
    tag: `!${short}`,
    collection: 'map' as const,
    resolve: (map: { toJSON(): unknown }) => ({ [long]: map.toJSON() }),
  },
]);

function splitGetAtt(text: string): string[] {
  const dot = text.indexOf('.');
  return dot < 0 ? [text] : [text.slice(0, dot), text.slice(dot + 1)];
}

export function parseTemplate(text: string): Template {
  const doc = parseDocument(text, { customTags: CUSTOM_TAGS, prettyErrors: true });
  // An unknown tag is only a warning to the YAML parser; to CloudFormation it is an invalid template.
  const problems = [...doc.errors, ...doc.warnings].map((problem) => problem.message);
  if (problems.length > 0) throw new Error(`template does not parse:\n${problems.join('\n')}`);
  const template = doc.toJS({ maxAliasCount: -1 }) as Template;
  if (typeof template !== 'object' || template === null || typeof template.Resources !== 'object') {
    throw new Error('template has no Resources');
  }
  return template;
}

export function loadTemplate(path = TEMPLATE_PATH): Template {
  return parseTemplate(readFileSync(path, 'utf8'));
}

export const PSEUDO_PARAMETERS = [
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
] as const;

/** A mapping, not a list or null; shared with the IAM reader, which walks the same parsed template. */
export const isObject = (value: unknown): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `${Name}` and `${Resource.Attribute}` in a Sub string; `${!Literal}` is an escape, not a variable. */
export function subVariables(text: string): string[] {
  return [...text.matchAll(/\$\{([^}]*)\}/g)]
    .map((match) => (match[1] ?? '').trim())
    .filter((name) => !name.startsWith('!'));
}

/**
 * Every reference in the template that does not name something that exists: Ref (parameter, resource or pseudo
 * parameter), GetAtt (resource), Sub variables (those, or the Sub's own variable map), DependsOn (resource),
 * Condition and the first argument of Fn::If (condition). Empty means every reference resolves.
 */
export function unresolvedReferences(template: Template): string[] {
  const parameters = new Set(Object.keys(template.Parameters ?? {}));
  const resources = new Set(Object.keys(template.Resources));
  const conditions = new Set(Object.keys(template.Conditions ?? {}));
  const pseudo = new Set<string>(PSEUDO_PARAMETERS);
  const problems: string[] = [];

  const refOk = (name: string, local: ReadonlySet<string> = new Set()) =>
    local.has(name) || parameters.has(name) || resources.has(name) || pseudo.has(name);
  const getAttOk = (name: string) => resources.has(name);

  const walk = (value: unknown, where: string, local: ReadonlySet<string> = new Set()): void => {
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) walk(item, `${where}[${index}]`, local);
      return;
    }
    if (!isObject(value)) return;
    for (const [key, arg] of Object.entries(value)) {
      const here = `${where}.${key}`;
      if (key === 'Ref') {
        if (typeof arg !== 'string' || !refOk(arg, local))
          problems.push(`${here}: Ref ${JSON.stringify(arg)} names nothing`);
      } else if (key === 'Fn::GetAtt') {
        const name = Array.isArray(arg) ? arg[0] : typeof arg === 'string' ? arg.split('.')[0] : undefined;
        if (typeof name !== 'string' || !getAttOk(name))
          problems.push(`${here}: GetAtt ${JSON.stringify(arg)} names no resource`);
      } else if (key === 'Fn::Sub') {
        const [text, variables] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, undefined];
        const own = new Set(isObject(variables) ? Object.keys(variables) : []);
        if (typeof text !== 'string') {
          problems.push(`${here}: Sub needs a literal string`);
          continue;
        }
        for (const variable of subVariables(text)) {
          const [head = ''] = variable.split('.');
          const ok = variable.includes('.') && !pseudo.has(variable) ? getAttOk(head) : refOk(variable, own);
          if (!ok) problems.push(`${here}: Sub variable \${${variable}} names nothing`);
        }
        if (isObject(variables)) walk(variables, `${here}[1]`, local);
      } else if (key === 'Condition' && typeof arg === 'string') {
        if (!conditions.has(arg)) problems.push(`${here}: condition ${arg} is not defined`);
      } else if (key === 'Fn::If') {
        const name = Array.isArray(arg) ? arg[0] : undefined;
        if (typeof name !== 'string' || !conditions.has(name))
          problems.push(`${here}: Fn::If names no condition (${JSON.stringify(name)})`);
        if (Array.isArray(arg)) walk(arg.slice(1), here, local);
      } else {
        walk(arg, here, local);
      }
    }
  };

  for (const [name, condition] of Object.entries(template.Conditions ?? {}))
    walk(condition, `Conditions.${name}`);
  for (const [name, resource] of Object.entries(template.Resources)) {
    if (resource.Condition !== undefined && !conditions.has(resource.Condition)) {
      problems.push(`Resources.${name}.Condition: ${resource.Condition} is not defined`);
    }
    const dependsOn = resource.DependsOn === undefined ? [] : [resource.DependsOn].flat();
    for (const dependency of dependsOn) {
      if (!resources.has(dependency))
        problems.push(`Resources.${name}.DependsOn: ${dependency} is no resource`);
    }
    walk(resource.Properties ?? {}, `Resources.${name}.Properties`);
  }
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    if (output.Condition !== undefined && !conditions.has(output.Condition)) {
      problems.push(`Outputs.${name}.Condition: ${output.Condition} is not defined`);
    }
    walk(output.Value, `Outputs.${name}.Value`);
  }
  return problems;
}

// ------------------------------------------------------------------------------------------------------------
// Evaluation

export interface EvaluationInput {
  /** Parameter values; absent ones take the template's Default. */
  parameters: Record<string, string>;
  accountId?: string;
  region?: string;
  stackName?: string;
}

/**
 * The template as CloudFormation would deploy it for these parameters: conditions decided, resources and outputs
 * whose condition is false dropped, and every intrinsic function replaced by its value. A resource's Ref is
 * `«Name»` and its attribute `«Name.Attribute»`, since their real values exist only after deployment.
 */
export interface EvaluatedTemplate {
  conditions: Record<string, boolean>;
  resources: Record<string, { Type: string; Properties: Record<string, Json> }>;
  outputs: Record<string, Json>;
}

const NO_VALUE = Symbol('AWS::NoValue');
type Value = Json | typeof NO_VALUE;

export function evaluateTemplate(template: Template, input: EvaluationInput): EvaluatedTemplate {
  const parameters: Record<string, string> = {};
  for (const [name, spec] of Object.entries(template.Parameters ?? {})) {
    const value = input.parameters[name] ?? (spec.Default === undefined ? undefined : String(spec.Default));
    if (value === undefined) throw new Error(`parameter ${name} has no value and no default`);
    parameters[name] = value;
  }
  for (const name of Object.keys(input.parameters)) {
    if (!(name in parameters)) throw new Error(`parameter ${name} is not declared`);
  }
  const region = input.region ?? 'ap-northeast-2';
  const pseudo: Record<string, string> = {
    'AWS::AccountId': input.accountId ?? '123456789012',
    'AWS::Partition': 'aws',
    'AWS::Region': region,
    'AWS::StackName': input.stackName ?? 'domtory-recovery',
    'AWS::StackId': `arn:aws:cloudformation:${region}:${input.accountId ?? '123456789012'}:stack/${input.stackName ?? 'domtory-recovery'}/id`,
    'AWS::URLSuffix': 'amazonaws.com',
  };

  const conditions: Record<string, boolean> = {};
  const deciding = new Set<string>();
  const condition = (name: string): boolean => {
    const known = conditions[name];
    if (known !== undefined) return known;
    const definition = template.Conditions?.[name];
    if (definition === undefined) throw new Error(`condition ${name} is not defined`);
    if (deciding.has(name)) throw new Error(`condition ${name} depends on itself`);
    deciding.add(name);
    const decided = evaluate(definition, 'condition');
    if (typeof decided !== 'boolean') throw new Error(`condition ${name} is not a boolean`);
    conditions[name] = decided;
    return decided;
  };

  const existing = (name: string): boolean => {
    const resource = template.Resources[name];
    return resource !== undefined && (resource.Condition === undefined || condition(resource.Condition));
  };

  const str = (value: Value, what: string): string => {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new Error(`${what} must be a string, got ${JSON.stringify(value)}`);
  };

  function ref(name: string): Value {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name in parameters) return parameters[name] as string;
    if (name in pseudo) return pseudo[name] as string;
    if (name in template.Resources) {
      if (!existing(name)) throw new Error(`Ref ${name}: the resource does not exist under these parameters`);
      return `«${name}»`;
    }
    throw new Error(`Ref ${name} names nothing`);
  }

  function getAtt(name: string, attribute: string): string {
    if (!(name in template.Resources)) throw new Error(`GetAtt ${name}.${attribute} names no resource`);
    if (!existing(name))
      throw new Error(`GetAtt ${name}.${attribute}: the resource does not exist under these parameters`);
    return `«${name}.${attribute}»`;
  }

  function sub(text: string, variables: Record<string, Value>): string {
    return text.replace(/\$\{([^}]*)\}/g, (_whole, raw: string) => {
      const name = raw.trim();
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      if (name in variables) return str(variables[name] as Value, `Sub variable ${name}`);
      if (name.includes('.') && !(name in pseudo)) {
        const [resource = '', ...attribute] = name.split('.');
        return getAtt(resource, attribute.join('.'));
      }
      return str(ref(name), `Sub variable ${name}`);
    });
  }

  function evaluate(value: Json, where: string): Value {
    if (Array.isArray(value)) {
      return value
        .map((item, index) => evaluate(item, `${where}[${index}]`))
        .filter((item): item is Json => item !== NO_VALUE);
    }
    if (!isObject(value)) return value;
    const keys = Object.keys(value);
    const [only] = keys;
    if (
      keys.length === 1 &&
      only !== undefined &&
      (only === 'Ref' || only === 'Condition' || only.startsWith('Fn::'))
    ) {
      const arg = value[only] as Json;
      const args = Array.isArray(arg) ? arg : [arg];
      const at = (index: number) => args[index] as Json;
      switch (only) {
        case 'Ref':
          return ref(str(arg, 'Ref'));
        case 'Condition':
          return condition(str(arg, 'Condition'));
        case 'Fn::GetAtt': {
          const [resource, attribute] = Array.isArray(arg) ? arg : splitGetAtt(str(arg, 'GetAtt'));
          return getAtt(str(resource as Json, 'GetAtt'), str(evaluate(attribute as Json, where), 'GetAtt'));
        }
        case 'Fn::Sub': {
          const variables: Record<string, Value> = {};
          if (Array.isArray(arg) && isObject(arg[1])) {
            for (const [name, variable] of Object.entries(arg[1]))
              variables[name] = evaluate(variable, `${where}.${name}`);
          }
          return sub(str(Array.isArray(arg) ? at(0) : arg, 'Sub'), variables);
        }
        case 'Fn::Join': {
          const list = evaluate(at(1), where);
          if (!Array.isArray(list)) throw new Error(`${where}: Fn::Join needs a list`);
          return list.map((item) => str(item, 'Join item')).join(str(at(0), 'Join delimiter'));
        }
        case 'Fn::Split':
          return str(evaluate(at(1), where), 'Split source').split(str(at(0), 'Split delimiter'));
        case 'Fn::Select': {
          const list = evaluate(at(1), where);
          const index = Number(evaluate(at(0), where));
          if (!Array.isArray(list) || !Number.isInteger(index) || index < 0 || index >= list.length) {
            throw new Error(`${where}: Fn::Select index ${index} out of range`);
          }
          return list[index] as Json;
        }
        case 'Fn::If':
          return condition(str(at(0), 'If condition')) ? evaluate(at(1), where) : evaluate(at(2), where);
        case 'Fn::Equals':
          return JSON.stringify(evaluate(at(0), where)) === JSON.stringify(evaluate(at(1), where));
        case 'Fn::Not':
          return !evaluate(at(0), where);
        case 'Fn::And':
          return args.every((item) => evaluate(item, where) === true);
        case 'Fn::Or':
          return args.some((item) => evaluate(item, where) === true);
        case 'Fn::FindInMap': {
          const [map, top, second] = args.map((item) => str(evaluate(item, where), 'FindInMap key'));
          const found = template.Mappings?.[map ?? '']?.[top ?? '']?.[second ?? ''];
          if (found === undefined) throw new Error(`${where}: FindInMap ${map}.${top}.${second} not found`);
          return found;
        }
        case 'Fn::Base64':
          return Buffer.from(str(evaluate(arg, where), 'Base64'), 'utf8').toString('base64');
        default:
          throw new Error(`${where}: ${only} is not supported by this evaluator`);
      }
    }
    const out: Record<string, Json> = {};
    for (const [key, item] of Object.entries(value)) {
      const evaluated = evaluate(item, `${where}.${key}`);
      if (evaluated !== NO_VALUE) out[key] = evaluated;
    }
    return out;
  }

  for (const name of Object.keys(template.Conditions ?? {})) condition(name);
  const resources: EvaluatedTemplate['resources'] = {};
  for (const [name, resource] of Object.entries(template.Resources)) {
    if (!existing(name)) continue;
    for (const dependency of resource.DependsOn === undefined ? [] : [resource.DependsOn].flat()) {
      if (!existing(dependency))
        throw new Error(`${name} depends on ${dependency}, which does not exist under these parameters`);
    }
    const properties = evaluate(resource.Properties ?? {}, `Resources.${name}`);
    resources[name] = { Type: resource.Type, Properties: properties as Record<string, Json> };
  }
  const outputs: Record<string, Json> = {};
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    if (output.Condition !== undefined && !condition(output.Condition)) continue;
    outputs[name] = evaluate(output.Value, `Outputs.${name}`) as Json;
  }
  return { conditions, resources, outputs };
}
