import { type Config, findTargetByInstanceId, resolveTarget, type Target } from '../../shared/index.js';

/**
 * Targets come from the config alone. A name typed in Slack (or carried in a button's value) is only ever a key
 * looked up in it (`resolveTarget` takes own keys only).
 */
export function lookupTarget(config: Config, name: string): Target | undefined {
  try {
    return resolveTarget(config, name);
  } catch {
    return undefined;
  }
}

export function targetNames(config: Config): string[] {
  return Object.keys(config.targets);
}

export function targetsByInstanceIds(config: Config, instanceIds: readonly string[]): Target[] {
  const found = new Map<string, Target>();
  for (const id of instanceIds) {
    const target = findTargetByInstanceId(config, id);
    if (target !== undefined) found.set(target.name, target);
  }
  return [...found.values()];
}
