import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/**
 * How the Actions runner turns a step's `with:` into the action's environment: one `INPUT_<NAME>` variable per
 * input given, plus one for every input action.yml declares with a `default:` that the step leaves out. The
 * variable's name is the input's upper-cased, spaces as `_`, hyphens kept (`INPUT_DRY-RUN`). A default is thus
 * indistinguishable from a value the workflow set, which is what the tests using this must see.
 */

export interface ActionManifest {
  inputs: Record<string, { required?: boolean; default?: string; description: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

export const ACTION_YML = fileURLToPath(new URL('../../action.yml', import.meta.url));

/** action.yml as it is on disk now (read on each call, so a test sees the file it runs against). */
export function loadManifest(): ActionManifest {
  return parse(readFileSync(ACTION_YML, 'utf8')) as ActionManifest;
}

export function inputVariable(name: string): string {
  return `INPUT_${name.replaceAll(' ', '_').toUpperCase()}`;
}

/**
 * The `INPUT_` variables the runner sets for a step: action.yml's defaults, then the step's own values (as the
 * strings an expression or a YAML scalar becomes) over them.
 */
export function runnerInputVariables(
  given: Record<string, unknown>,
  manifest: ActionManifest = loadManifest(),
): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [name, input] of Object.entries(manifest.inputs)) {
    if (input.default !== undefined && !(name in given))
      variables[inputVariable(name)] = String(input.default);
  }
  for (const [name, value] of Object.entries(given)) variables[inputVariable(name)] = String(value);
  return variables;
}

/** Reads an input from such variables exactly as the action does (`core.getInput`: trimmed, `''` when unset). */
export function readerOf(variables: Record<string, string>): (name: string) => string {
  return (name) => (variables[inputVariable(name)] ?? '').trim();
}
