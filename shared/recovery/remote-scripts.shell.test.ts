import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bootProbeScript,
  COMPOSE_RUN_DIR,
  type ComposeScriptOptions,
  composePsScript,
  composeWaitScript,
  parseComposePs,
  parseComposeStart,
} from './remote-scripts.js';

/**
 * The scripts run in a real `sh`, as SSM's AWS-RunShellScript runs them, against a fake `docker` on a PATH that
 * holds nothing else of the host's docker: what the simulator cannot show is whether the shell does what the
 * text says.
 */

const TOOLS = ['sh', 'cat', 'cut', 'date', 'mkdir', 'mv', 'setsid', 'sleep', 'grep'];

/** `docker compose …` as the host would answer it; `up` exits with FAKE_UP_EXIT. */
const FAKE_DOCKER = `#!/bin/sh
if [ "$1" != compose ]; then exit 1; fi
case "$2" in
  version) echo "Docker Compose version v2.29.0" ;;
  up) echo "Container app-web-1 Started"; echo "pulling web" >&2; exit "\${FAKE_UP_EXIT:-0}" ;;
  ps) echo '{"Service":"web","State":"running","Health":"healthy"}' ;;
  *) exit 1 ;;
esac
`;

let root: string;
let bin: string;
let app: string;
let runDir: string;
const currentBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
const compose = (): ComposeScriptOptions => ({ command: 'auto', directory: app });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'remote-scripts-'));
  bin = join(root, 'bin');
  app = join(root, 'app');
  runDir = join(root, 'run');
  mkdirSync(bin);
  mkdirSync(app);
  for (const tool of TOOLS) {
    const path = execFileSync('/bin/sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
    symlinkSync(path, join(bin, tool));
  }
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function installFakeDocker(): void {
  writeFileSync(join(bin, 'docker'), FAKE_DOCKER);
  chmodSync(join(bin, 'docker'), 0o755);
}

function run(lines: string[], env: Record<string, string> = {}) {
  const script = lines.join('\n').replaceAll(COMPOSE_RUN_DIR, runDir);
  const result = spawnSync('/bin/sh', ['-c', script], {
    encoding: 'utf8',
    env: { PATH: bin, ...env },
    timeout: 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const probe = (runId: string, bootIdOtherThan = '00000000-0000-0000-0000-000000000000') =>
  bootProbeScript({ runId, rule: { bootIdOtherThan }, compose: compose() });

describe('compose started by the boot probe, in a real shell', () => {
  it('starts once on a new boot, and compose-wait reports its output and exit code', () => {
    installFakeDocker();
    const first = run(probe('web-run-1'));
    expect(first.code).toBe(0);
    expect(parseComposeStart(first.stdout)).toBe('started');
    expect(parseComposeStart(run(probe('web-run-1')).stdout)).toBe('already-started');

    const wait = run(composeWaitScript({ runId: 'web-run-1', waitSeconds: 10 }));
    expect(wait).toMatchObject({ code: 0 });
    expect(wait.stdout).toContain('Container app-web-1 Started');
    expect(wait.stderr).toContain('pulling web');
  });

  it('reports a failed compose up with its own exit code and stderr, not as a timeout', () => {
    installFakeDocker();
    expect(parseComposeStart(run(probe('web-run-2'), { FAKE_UP_EXIT: '18' }).stdout)).toBe('started');
    const wait = run(composeWaitScript({ runId: 'web-run-2', waitSeconds: 5 }));
    expect(wait.code).toBe(18);
    expect(wait.stderr).toContain('pulling web');
    expect(wait.stderr).not.toContain('still running');
  });

  it('says so when the host has neither docker compose nor docker-compose', () => {
    run(probe('web-run-3'));
    const wait = run(composeWaitScript({ runId: 'web-run-3', waitSeconds: 5 }));
    expect(wait.code).toBe(127);
    expect(wait.stderr).toContain('neither docker compose nor docker-compose is installed');
  });

  it('starts nothing on the boot it was told is the old one', () => {
    installFakeDocker();
    const same = run(probe('web-run-4', currentBootId));
    expect(same.stdout).toContain(`boot_id=${currentBootId}`);
    expect(parseComposeStart(same.stdout)).toBeUndefined();
    const wait = run(composeWaitScript({ runId: 'web-run-4', waitSeconds: 1 }));
    expect(wait.code).toBe(3);
  });

  it('accepts the run id of the longest target name', () => {
    installFakeDocker();
    const runId = `${'a'.repeat(63)}-${Date.now().toString(36)}-abcdef`;
    expect(parseComposeStart(run(probe(runId)).stdout)).toBe('started');
  });
});

describe('compose ps, in a real shell', () => {
  it('prints the services once every one is running', () => {
    installFakeDocker();
    const ps = run(composePsScript({ ...compose(), waitSeconds: 5 }));
    expect(ps.code).toBe(0);
    expect(parseComposePs(ps.stdout)).toEqual([{ service: 'web', state: 'running', health: 'healthy' }]);
  });
});
