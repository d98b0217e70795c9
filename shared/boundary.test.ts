import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * `shared/` is the core both front ends stand on: it must never depend on a front end, on a front end's
 * toolkit, or on the process environment (front ends read the environment and pass plain values in).
 */
const SHARED = dirname(fileURLToPath(import.meta.url));
const ALLOWED_PACKAGES = [/^node:/, /^@aws-sdk\//, /^@smithy\//, /^zod(\/mini)?$/, /^js-yaml$/];

function violations(file: string, source: string): string[] {
  const found: string[] = [];
  const specifiers = [
    ...source.matchAll(
      /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)|\bimport\s*['"]([^'"]+)['"]/g,
    ),
  ].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
  for (const specifier of specifiers) {
    if (specifier.startsWith('.')) {
      const target = relative(SHARED, resolve(dirname(file), specifier));
      if (target.startsWith('..')) found.push(`imports ${specifier}, outside shared/`);
    } else if (!ALLOWED_PACKAGES.some((allowed) => allowed.test(specifier))) {
      found.push(`imports ${specifier}`);
    }
  }
  const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  if (
    /\bprocess\s*\.\s*env\b|\bprocess\[\s*['"]env['"]\s*\]|\{[^}]*\benv\b[^}]*\}\s*=\s*(?:globalThis\.)?process\b/.test(
      code,
    )
  )
    found.push('reads process.env');
  if (/\bconsole\.\w+\s*\(/.test(code)) found.push('writes to the console');
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !path.includes('test-support')
      ? [path]
      : [];
  });
}

describe('shared/ boundary', () => {
  it('detects each kind of violation (so the scan below can fail)', () => {
    const file = join(SHARED, 'recovery', 'example.ts');
    expect(violations(file, "import { getInput } from '@actions/core';")).toEqual(['imports @actions/core']);
    expect(violations(file, "import type { App } from '@slack/bolt';")).toEqual(['imports @slack/bolt']);
    expect(violations(file, "import { run } from '../../action/main.js';")).toEqual([
      'imports ../../action/main.js, outside shared/',
    ]);
    expect(violations(file, "const m = await import('../../bot/app.js');")).toEqual([
      'imports ../../bot/app.js, outside shared/',
    ]);
    expect(violations(file, 'const region = process.env.AWS_REGION;')).toEqual(['reads process.env']);
    expect(violations(file, "const r = process['env'];")).toEqual(['reads process.env']);
    expect(violations(file, "console.log('x');")).toEqual(['writes to the console']);
    expect(violations(file, "import '@slack/bolt';")).toEqual(['imports @slack/bolt']);
    expect(violations(file, "const core = require('@actions/core');")).toEqual(['imports @actions/core']);
    expect(violations(file, 'const { env } = process;')).toEqual(['reads process.env']);
    expect(violations(file, 'const { argv, env: vars } = globalThis.process;')).toEqual([
      'reads process.env',
    ]);
    expect(violations(file, "import { z } from 'zod';\nimport { a } from '../ports.js';")).toEqual([]);
  });

  it('holds for every source file in shared/', () => {
    const files = sourceFiles(SHARED);
    expect(files.length).toBeGreaterThan(10);
    const problems = files.flatMap((file) =>
      violations(file, readFileSync(file, 'utf8')).map((problem) => `${relative(SHARED, file)}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });
});
