import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * Which AWS SDK commands a front end can send, derived from its source rather than listed by hand: walk the
 * import graph from the entry (static imports, re-exports and `import()` alike, since the action and the bot load
 * their AWS code lazily) and collect every `new XxxCommand(...)` whose class is imported from an
 * `@aws-sdk/client-*` package. The IAM test holds the result against the template's policies.
 *
 * The derivation refuses what it cannot see through (a namespace import of a client package, an `import()` of a
 * computed path, a re-export of a command) instead of guessing, so an unseen command cannot slip past the test.
 */

export interface SdkCommand {
  /** `ec2`, `ssm`, `cloudwatch`, `sns`, `lambda`: the package name after `@aws-sdk/client-`. */
  client: string;
  /** The operation: `RebootInstances` for `RebootInstancesCommand`. */
  operation: string;
  /** Files (relative to the root) that construct it. */
  files: string[];
}

export interface Derivation {
  /** Every source file reached from the entry, relative to the root. */
  files: string[];
  commands: SdkCommand[];
}

const CLIENT_PACKAGE = /^@aws-sdk\/client-([a-z0-9-]+)$/;

export function deriveSdkCommands(root: string, entry: string): Derivation {
  const seen = new Set<string>();
  const queue = [resolve(root, entry)];
  const found = new Map<string, SdkCommand>();

  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const where = relative(root, file);
    const fail = (node: ts.Node, why: string): never => {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      throw new Error(`${where}:${line + 1}: ${why}`);
    };
    /** Local name → [client, exported name] for value imports from client packages. */
    const sdkBindings = new Map<string, [string, string]>();

    const follow = (specifier: string, node: ts.Node) => {
      if (specifier.startsWith('.')) {
        queue.push(resolveRelative(file, specifier, () => fail(node, `cannot resolve ${specifier}`)));
        return;
      }
      // Packages other than the SDK clients send no AWS request of ours.
    };

    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const specifier = node.moduleSpecifier.text;
        const clause = node.importClause;
        const client = CLIENT_PACKAGE.exec(specifier)?.[1];
        if (client !== undefined && clause !== undefined && !clause.isTypeOnly) {
          if (clause.name !== undefined)
            fail(node, `default import from ${specifier}: cannot tell its commands`);
          const bindings = clause.namedBindings;
          if (bindings !== undefined && ts.isNamespaceImport(bindings)) {
            fail(node, `namespace import from ${specifier}: import the commands by name`);
          }
          if (bindings !== undefined && ts.isNamedImports(bindings)) {
            for (const element of bindings.elements) {
              if (element.isTypeOnly) continue;
              sdkBindings.set(element.name.text, [client, (element.propertyName ?? element.name).text]);
            }
          }
        } else if (clause === undefined || !clause.isTypeOnly) {
          follow(specifier, node);
        }
      } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined) {
        if (!node.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier)) {
          const specifier = node.moduleSpecifier.text;
          if (CLIENT_PACKAGE.test(specifier))
            fail(node, `re-export from ${specifier}: cannot tell its commands`);
          follow(specifier, node);
        }
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const [argument] = node.arguments;
        if (argument === undefined || !ts.isStringLiteralLike(argument))
          fail(node, 'import() of a computed path');
        const specifier = (argument as ts.StringLiteralLike).text;
        if (CLIENT_PACKAGE.test(specifier))
          fail(node, `import() of ${specifier}: import the commands by name`);
        follow(specifier, node);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);

    if (sdkBindings.size === 0) continue;
    const construct = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
        const binding = sdkBindings.get(node.expression.text);
        if (binding?.[1].endsWith('Command')) {
          const [client, name] = binding;
          const key = `${client}:${name}`;
          const entry = found.get(key) ?? { client, operation: name.slice(0, -'Command'.length), files: [] };
          if (!entry.files.includes(where)) entry.files.push(where);
          found.set(key, entry);
        }
      }
      ts.forEachChild(node, construct);
    };
    construct(source);
  }

  return {
    files: [...seen].map((file) => relative(root, file)).sort(),
    commands: [...found.values()].sort((a, b) =>
      `${a.client}:${a.operation}`.localeCompare(`${b.client}:${b.operation}`),
    ),
  };
}

/** NodeNext specifiers name the emitted `.js`; the source is the `.ts` beside it. */
function resolveRelative(from: string, specifier: string, onMissing: () => never): string {
  const base = join(dirname(from), specifier);
  const candidates = [
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.mjs$/, '.mts'),
    `${base}.ts`,
    join(base, 'index.ts'),
    base,
  ];
  const hit = candidates.find((candidate) => candidate.endsWith('ts') && existsSync(candidate));
  return hit ?? onMissing();
}

/**
 * IAM names the action after the API operation, with a few exceptions where the SDK's command is named after
 * something else. Only clients this project uses are known; a new one must be added here on purpose.
 */
const IAM_PREFIX: Record<string, string> = {
  ec2: 'ec2',
  ssm: 'ssm',
  cloudwatch: 'cloudwatch',
  sns: 'sns',
  lambda: 'lambda',
};
const RENAMED: Record<string, string> = {
  // Lambda's Invoke API is authorised as lambda:InvokeFunction.
  'lambda:Invoke': 'lambda:InvokeFunction',
  'lambda:InvokeWithResponseStream': 'lambda:InvokeFunction',
};

export function iamActionOf(command: Pick<SdkCommand, 'client' | 'operation'>): string {
  const prefix = IAM_PREFIX[command.client];
  if (prefix === undefined) {
    throw new Error(
      `no IAM mapping for @aws-sdk/client-${command.client}: add it to IAM_PREFIX in sdk-commands.ts`,
    );
  }
  const action = `${prefix}:${command.operation}`;
  return RENAMED[action] ?? action;
}

export function iamActionsOf(derivation: Derivation): string[] {
  return [...new Set(derivation.commands.map(iamActionOf))].sort();
}
