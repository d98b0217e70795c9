// js-yaml rather than `yaml`: a config needs no round-tripping or comments kept, and the action parses it before
// its first AWS request, where a third of the code is a few milliseconds saved.
import { load as loadYaml, YAMLException } from 'js-yaml';
import type * as z from 'zod/mini';
import { RecoveryError } from '../errors.js';
import { type Config, safeParseConfig, type Target } from './schema.js';

/**
 * Parses config text (YAML, of which JSON is a subset) into a validated `Config`.
 * Errors name the field by its path and say what a valid value looks like.
 */
export function parseConfig(text: string, source = 'config'): Config {
  let raw: unknown;
  try {
    raw = loadYaml(text);
  } catch (error) {
    const yamlError = error instanceof YAMLException ? error : undefined;
    const where = yamlError?.mark === undefined ? '' : ` at line ${yamlError.mark.line + 1}`;
    throw new RecoveryError(
      'config-invalid',
      `${source} is not valid YAML${where}: ${yamlError?.reason ?? (error as Error).message}`,
      {
        fix: 'Check the indentation and quoting around that line.',
        cause: error,
      },
    );
  }
  return validateConfig(raw, source);
}

export function validateConfig(raw: unknown, source = 'config'): Config {
  const parsed = safeParseConfig(raw ?? {});
  if (!parsed.success) {
    throw new RecoveryError('config-invalid', `${source} is invalid:\n${formatIssues(parsed.error.issues)}`, {
      fix: 'Correct the fields listed above; docs/configuration.md describes each one.',
    });
  }
  return parsed.data;
}

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.length === 0 ? '(top level)' : issue.path.map(String).join('.');
      return `  - ${path}: ${describeIssue(issue)}`;
    })
    .join('\n');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  // A record key's own rule is nested one level down; its message says what a valid name looks like.
  if (issue.code === 'invalid_key')
    return `invalid name: ${issue.issues.map((nested) => nested.message).join('; ')}`;
  return issue.message;
}

/** Resolves a target by name, falling back to the config's default region. */
export function resolveTarget(config: Config, name: string): Target {
  // Own keys only: a name from a user ("constructor", "__proto__") must never resolve to something inherited.
  const settings = Object.hasOwn(config.targets, name) ? config.targets[name] : undefined;
  if (settings === undefined) {
    const known = Object.keys(config.targets).join(', ');
    throw new RecoveryError('unknown-target', `unknown target "${name}"`, {
      fix: `Use one of the configured targets: ${known}.`,
    });
  }
  const region = settings.region ?? config.region;
  if (region === undefined) {
    throw new RecoveryError(
      'config-invalid',
      `target "${name}" has no region and the config sets no default`,
      {
        fix: `Set targets.${name}.region or the top-level region.`,
      },
    );
  }
  return { ...settings, name, region };
}

/** Only configured instances are ever touched: an alarm for any other instance id maps to nothing. */
export function findTargetByInstanceId(config: Config, instanceId: string): Target | undefined {
  const entry = Object.entries(config.targets).find(([, target]) => target.instanceId === instanceId);
  return entry === undefined ? undefined : resolveTarget(config, entry[0]);
}
