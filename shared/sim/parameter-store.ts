import { RecoveryError } from '../errors.js';
import type { StoredParameter } from '../ports.js';

/**
 * SSM Parameter Store in memory, with the validation that would make the real one refuse a request, so that a
 * lock or history format that works here also works on AWS. Methods are synchronous: a create-if-absent runs
 * in one turn of the event loop, which is what makes it atomic.
 */

/** Standard tier: values up to 4 KB; names up to 1011 characters of this alphabet. */
const MAX_VALUE_CHARS = 4096;
const MAX_NAME_CHARS = 1011;
const NAME = /^[A-Za-z0-9_.\-/]+$/;

export interface ParameterRecord extends StoredParameter {
  lastModified: number;
}

export class InMemoryParameterStore {
  #parameters = new Map<string, ParameterRecord>();

  get(name: string): StoredParameter | undefined {
    validateName(name);
    const record = this.#parameters.get(name);
    return record === undefined ? undefined : { value: record.value, version: record.version };
  }

  /** PutParameter with Overwrite=false. */
  create(name: string, value: string, at: number): boolean {
    validateName(name);
    validateValue(name, value);
    if (this.#parameters.has(name)) return false;
    this.#parameters.set(name, { value, version: 1, lastModified: at });
    return true;
  }

  /** PutParameter with Overwrite=true: the version counts every write since the name was (re)created. */
  overwrite(name: string, value: string, at: number): number {
    validateName(name);
    validateValue(name, value);
    const version = (this.#parameters.get(name)?.version ?? 0) + 1;
    this.#parameters.set(name, { value, version, lastModified: at });
    return version;
  }

  /** DeleteParameter drops the history too: a later create starts again at version 1. */
  delete(name: string): void {
    validateName(name);
    this.#parameters.delete(name);
  }

  /** Everything stored, for tests and the demo's state view. */
  snapshot(): ReadonlyMap<string, ParameterRecord> {
    return new Map([...this.#parameters].map(([name, record]) => [name, { ...record }]));
  }
}

function validateName(name: string): void {
  const valid =
    name.length > 0 &&
    name.length <= MAX_NAME_CHARS &&
    NAME.test(name) &&
    (!name.includes('/') || name.startsWith('/')) &&
    !/^\/?(aws|ssm)/i.test(name);
  if (!valid) {
    throw new RecoveryError(
      'aws-error',
      `ValidationException: Parameter name "${name}" is invalid: use letters, digits and ._-/; a hierarchy starts with "/"; "aws" and "ssm" prefixes are reserved.`,
    );
  }
}

function validateValue(name: string, value: string): void {
  if (value.length === 0 || value.length > MAX_VALUE_CHARS) {
    throw new RecoveryError(
      'aws-error',
      `ValidationException: The value of ${name} must be 1 to ${MAX_VALUE_CHARS} characters (standard tier); got ${value.length}.`,
    );
  }
}
