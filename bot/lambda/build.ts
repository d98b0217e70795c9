/**
 * `npm run build:lambda`: bundles the Lambda entry into one minified ES module, zips it for
 * `aws lambda update-function-code`, and prints the sizes (and what takes the room), so a dependency that
 * bloats the cold start shows up in the build output rather than in Slack's 3-second budget.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { createZip } from './zip.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface LambdaArtifact {
  bundlePath: string;
  zipPath: string;
  bundleBytes: number;
  zipBytes: number;
  /** Bytes of output by package (or `(own code)`), largest first. */
  largest: { name: string; bytes: number }[];
}

export async function buildLambda(outDir = join(ROOT, 'build', 'lambda')): Promise<LambdaArtifact> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const bundlePath = join(outDir, 'index.mjs');
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ['bot/lambda/index.ts'],
    outfile: bundlePath,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    minify: true,
    // Bolt and the Slack SDK are CommonJS and `require` Node's built-ins, which an ES module has no binding for.
    banner: {
      js: "import { createRequire as __domtoryRequire } from 'node:module'; const require = __domtoryRequire(import.meta.url);",
    },
    legalComments: 'external',
    metafile: true,
    logLevel: 'warning',
  });

  const files = [bundlePath, `${bundlePath}.LEGAL.txt`].filter((path) => {
    try {
      readFileSync(path);
      return true;
    } catch {
      return false;
    }
  });
  const zip = createZip(files.map((path) => ({ name: basename(path), data: readFileSync(path) })));
  const zipPath = join(outDir, 'function.zip');
  writeFileSync(zipPath, zip);

  const byPackage = new Map<string, number>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  return {
    bundlePath,
    zipPath,
    bundleBytes: readFileSync(bundlePath).length,
    zipBytes: zip.length,
    largest: [...byPackage.entries()]
      .map(([name, bytes]) => ({ name, bytes }))
      .sort((a, b) => b.bytes - a.bytes),
  };
}

function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return match?.[1] ?? '(own code)';
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

async function main(): Promise<void> {
  const artifact = await buildLambda();
  const rel = (path: string) => path.slice(ROOT.length + 1);
  const top = artifact.largest
    .slice(0, 6)
    .map((entry) => `${entry.name} ${formatBytes(entry.bytes)}`)
    .join(', ');
  process.stdout.write(
    `${rel(artifact.bundlePath)}  ${formatBytes(artifact.bundleBytes)} (bundled, minified)\n` +
      `${rel(artifact.zipPath)}  ${formatBytes(artifact.zipBytes)} (deflated; Lambda accepts 50 MB zipped, 250 MB unzipped)\n` +
      `largest parts: ${top}\n` +
      `upload: aws lambda update-function-code --function-name <stack>-bot --zip-file fileb://${rel(artifact.zipPath)}\n`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`build:lambda failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
