import type { HttpProbeResult } from '../ports.js';
import {
  composeRunId,
  type NewBootRule,
  parseNewBootRule,
  type RemoteScriptKind,
  remoteScriptKind,
  scriptWaitSeconds,
} from '../recovery/remote-scripts.js';
import { type Random, randomHex } from './random.js';
import { SIM_TIMINGS } from './scenarios.js';
import type { Boot, ComposeJob, SimWorld } from './world.js';

/**
 * The host side of the simulated instance: the docker compose app, and how the host answers each script the
 * core sends through SSM. Outputs follow what Ubuntu, docker and docker compose v2 print, so that the parsers in
 * remote-scripts.ts are exercised on realistic text.
 */

export interface ServiceSpec {
  name: string;
  image: string;
  command: string;
  ports: string;
  /** Only the api defines a healthcheck, so `compose ps` shows health for it alone. */
  healthcheck: boolean;
  /** Resident memory (MiB) while idle and while the incident pins the CPU. */
  memMiB: number;
  pinnedMemMiB: number;
}

/** In `up` order (nginx depends on api, api on redis). */
export const APP_SERVICES: readonly ServiceSpec[] = [
  {
    name: 'redis',
    image: 'redis:7-alpine',
    command: '"docker-entrypoint.s…"',
    ports: '6379/tcp',
    healthcheck: false,
    memMiB: 8.2,
    pinnedMemMiB: 9.1,
  },
  {
    name: 'api',
    image: 'domtory/api:latest',
    command: '"node dist/main.js"',
    ports: '0.0.0.0:8000->8000/tcp',
    healthcheck: true,
    memMiB: 182.4,
    pinnedMemMiB: 402.1,
  },
  {
    name: 'nginx',
    image: 'nginx:1.27-alpine',
    command: '"/docker-entrypoint.…"',
    ports: '0.0.0.0:80->80/tcp, 0.0.0.0:443->443/tcp',
    healthcheck: false,
    memMiB: 5.9,
    pinnedMemMiB: 6.3,
  },
];

/** The compose file sets `name: domtory`, so container names do not depend on the directory. */
export const COMPOSE_PROJECT = 'domtory';
const MEM_TOTAL_MIB = 965.6;
const PUBLIC_IP = '203.0.113.10';

export interface Container {
  readonly spec: ServiceSpec;
  readonly id: string;
  readonly createdAt: number;
  state: 'running' | 'exited' | 'created';
  exitCode: number;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  /** When the healthcheck first passes; `undefined` for services without one. */
  healthyAt: number | undefined;
}

export const containerName = (container: Container): string => `${COMPOSE_PROJECT}-${container.spec.name}-1`;

/** The app as it ran before the incident: deployed weeks ago, started when the incident's boot came up. */
export function incidentContainers(random: Random, kernelStartAt: number, startAt: number): Container[] {
  const startedAt = kernelStartAt + 40_000;
  return APP_SERVICES.map((spec) => ({
    spec,
    id: randomHex(random, 64),
    createdAt: startAt - 23 * 86_400_000,
    state: 'running',
    exitCode: 0,
    startedAt,
    finishedAt: undefined,
    healthyAt: spec.healthcheck ? startedAt + SIM_TIMINGS.healthDelayMs : undefined,
  }));
}

/**
 * The containers as the next boot's docker finds them: exited, and not restarted because the compose file sets
 * no restart policy (which is why the recovery must run `docker compose up -d`).
 */
export function containersAfterShutdown(containers: Container[], at: number, exitCode: number): Container[] {
  return containers.map((c) =>
    c.state === 'running'
      ? { ...c, state: 'exited', exitCode, finishedAt: at, healthyAt: undefined }
      : { ...c },
  );
}

export type Health = 'healthy' | 'unhealthy' | 'starting' | '';

export function containerHealth(container: Container, boot: Boot, at: number): Health {
  if (!container.spec.healthcheck || container.state !== 'running') return '';
  // The incident's runaway process makes the api miss every healthcheck.
  if (boot.cpuPinned) return 'unhealthy';
  return container.healthyAt !== undefined && container.healthyAt <= at ? 'healthy' : 'starting';
}

/** When every service of the boot is running and healthy where it has a healthcheck, or `undefined`. */
export function appHealthyAt(boot: Boot): number | undefined {
  if (boot.cpuPinned || boot.containers.some((c) => c.state !== 'running')) return undefined;
  return Math.max(...boot.containers.map((c) => c.healthyAt ?? c.startedAt ?? 0));
}

// ---------------------------------------------------------------------------------------------------------------
// Scripts

export type SimScriptKind = RemoteScriptKind | 'unknown';

export function classifyScript(commands: readonly string[]): SimScriptKind {
  const kind = remoteScriptKind(commands);
  if (kind !== undefined) return kind;
  // The original Lambda sends a bare `docker-compose up -d`; a real host runs it, so the simulator does too,
  // which lets a benchmark replay the seed as its baseline.
  if (commands.some((line) => /\bdocker(?:-compose| compose)\s+up\b/.test(line))) return 'compose-up';
  return 'unknown';
}

export interface ScriptResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ScriptRun {
  kind: SimScriptKind;
  durationMs: number;
  /** Called once, when the script completes at `at`: applies its effects on the host and returns its output. */
  finish(at: number): ScriptResult;
}

/** A script delivered to `boot`: how long it runs, and what it does and prints when done. */
export function startScript(
  world: SimWorld,
  boot: Boot,
  commands: readonly string[],
  commandId: string,
  deliveredAt: number,
): ScriptRun {
  const kind = classifyScript(commands);
  // A pinned CPU slows every script down on top of a throttled host.
  const slowdown = world.hostSlowdown * (boot.cpuPinned ? SIM_TIMINGS.pinnedCommandSlowdown : 1);
  switch (kind) {
    case 'boot-probe':
      return {
        kind,
        durationMs: SIM_TIMINGS.bootProbeMs * slowdown,
        finish: (at) => ok(bootLines(boot, at) + startComposeOnNewBoot(world, boot, commands, slowdown, at)),
      };
    case 'compose-wait':
      return composeWait(boot, commands, deliveredAt, slowdown);
    case 'evidence':
      return {
        kind,
        durationMs: SIM_TIMINGS.evidenceMs * slowdown,
        finish: (at) => ok(evidenceOutput(world, boot, at)),
      };
    case 'compose-ps':
      return {
        kind,
        durationMs: composePsWaitMs(
          boot,
          deliveredAt,
          scriptWaitSeconds(commands),
          SIM_TIMINGS.composePsMs * slowdown,
        ),
        finish: (at) => ok(composePsOutput(boot, at)),
      };
    case 'compose-up':
      return composeUp(world, boot, slowdown);
    case 'unknown': {
      const word = (commands.find((line) => line.trim() !== '') ?? '').trim().split(/\s+/)[0] ?? '';
      const script = `/var/lib/amazon/ssm/${world.instanceId}/document/orchestration/${commandId}/awsrunShellScript/0.awsrunShellScript/_script.sh`;
      return {
        kind,
        durationMs: SIM_TIMINGS.unknownScriptMs * slowdown,
        finish: () => failed(127, '', `${script}: line 1: ${word}: command not found`),
      };
    }
  }
}

/**
 * A probe that carries a compose run starts it in the background when the host finds itself on a new boot by the
 * probe's rule, at most once per run and boot, as the shell in `bootProbeScript` does with `mkdir` under /run.
 */
function startComposeOnNewBoot(
  world: SimWorld,
  boot: Boot,
  commands: readonly string[],
  slowdown: number,
  at: number,
): string {
  const runId = composeRunId(commands);
  const rule = parseNewBootRule(commands);
  if (runId === undefined || rule === undefined || !isNewBootByRule(rule, boot, at)) return '';
  if (boot.composeJobs.has(runId)) return 'compose=already-started\n';
  const run = composeUp(world, boot, slowdown);
  const job: ComposeJob = {
    runId,
    bootId: boot.id,
    startedAt: at,
    finishesAt: at + run.durationMs,
    finishedAt: undefined,
    result: undefined,
  };
  boot.composeJobs.set(runId, job);
  world.note(at, `boot #${boot.index} starts compose run ${runId} in the background`);
  world.agenda.at(job.finishesAt, (t) => {
    // A job whose OS went down under it never exits; the next boot has no record of it.
    if (world.liveBoot(t) !== boot) return;
    job.result = run.finish(t);
    job.finishedAt = t;
    world.note(t, `compose run ${runId} exits ${job.result.exitCode}`);
  });
  return 'compose=started\n';
}

/** The shell's own arithmetic: `now` and uptime in whole seconds. */
function isNewBootByRule(rule: NewBootRule, boot: Boot, at: number): boolean {
  if ('bootIdOtherThan' in rule) return boot.id !== rule.bootIdOtherThan;
  const now = Math.floor(at / 1000);
  const uptime = Math.floor((at - boot.kernelStartAt) / 1000);
  return now - uptime >= rule.startedAfterEpochSeconds;
}

/** Waits (sleeping 0.5 s between looks, as the script does) for the run's exit file, then reports the run. */
function composeWait(
  boot: Boot,
  commands: readonly string[],
  deliveredAt: number,
  slowdown: number,
): ScriptRun {
  const runId = composeRunId(commands) ?? '';
  const job = boot.composeJobs.get(runId);
  const lookMs = SIM_TIMINGS.bootProbeMs * slowdown;
  if (job === undefined) {
    return {
      kind: 'compose-wait',
      durationMs: lookMs,
      finish: () => failed(3, '', `no compose run /run/domtory-recovery/${runId} on this boot`),
    };
  }
  const waitMs = scriptWaitSeconds(commands) * 1000;
  const remaining = Math.max(0, job.finishesAt - deliveredAt);
  const looks = Math.ceil(remaining / 500);
  if (looks * 500 > waitMs) {
    return {
      kind: 'compose-wait',
      durationMs: waitMs,
      finish: () => failed(124, '', `compose still running after ${waitMs / 1000} s`),
    };
  }
  return {
    kind: 'compose-wait',
    durationMs: looks * 500 + lookMs,
    finish: () => {
      const result = job.result;
      if (result === undefined) return failed(124, '', 'compose run ended without an exit code');
      return result.exitCode === 0
        ? ok(result.stdout, result.stderr)
        : failed(
            result.exitCode,
            result.stdout,
            result.stderr.replace(/\nfailed to run commands: exit status \d+$/, ''),
          );
    },
  };
}

function composeUp(world: SimWorld, boot: Boot, slowdown: number): ScriptRun {
  const upToDate = boot.containers.every((c) => c.state === 'running');
  if (upToDate) {
    return {
      kind: 'compose-up',
      durationMs: SIM_TIMINGS.composeUpToDateMs * slowdown,
      finish: () => ok('', boot.containers.map((c) => ` Container ${containerName(c)}  Running`).join('\n')),
    };
  }
  const fails = world.scenario.composeFails;
  return {
    kind: 'compose-up',
    durationMs: (fails ? SIM_TIMINGS.composeFailMs : SIM_TIMINGS.composeUpMs) * slowdown,
    finish: (at) => {
      const lines: string[] = [];
      for (const container of boot.containers) {
        if (container.state === 'running') {
          lines.push(` Container ${containerName(container)}  Running`);
          continue;
        }
        lines.push(` Container ${containerName(container)}  Starting`);
        // In `compose-fails` something else already listens on port 80, so nginx cannot publish it.
        if (fails && container.spec.name === 'nginx') {
          container.state = 'created';
          container.exitCode = 128;
          lines.push(
            `Error response from daemon: driver failed programming external connectivity on endpoint ${containerName(container)}: Bind for 0.0.0.0:80 failed: port is already allocated`,
          );
          return failed(1, '', lines.join('\n'));
        }
        container.state = 'running';
        container.exitCode = 0;
        container.startedAt = at;
        container.finishedAt = undefined;
        container.healthyAt = container.spec.healthcheck
          ? at + SIM_TIMINGS.healthDelayMs * world.hostSlowdown
          : undefined;
        lines.push(` Container ${containerName(container)}  Started`);
      }
      return ok('', lines.join('\n'));
    },
  };
}

/**
 * The compose-ps script loops on the host (ps, then `sleep 1`) until every service runs with no healthcheck
 * `starting` or `unhealthy`, or its wait is over. Health only changes with time here (until another compose up),
 * so the loop's length is known when the script starts.
 */
function composePsWaitMs(boot: Boot, startAt: number, waitSeconds: number, psMs: number): number {
  const ready = (at: number) =>
    boot.containers.every(
      (c) => c.state === 'running' && ['healthy', ''].includes(containerHealth(c, boot, at)),
    );
  let elapsed = psMs;
  while (!ready(startAt + elapsed) && elapsed < waitSeconds * 1000) elapsed += 500 + psMs;
  return elapsed;
}

const ok = (stdout: string, stderr = ''): ScriptResult => ({ exitCode: 0, stdout, stderr });

/** SSM appends this line to stderr whenever a shell script exits non-zero. */
const failed = (exitCode: number, stdout: string, stderr: string): ScriptResult => ({
  exitCode,
  stdout,
  stderr: `${stderr}\nfailed to run commands: exit status ${exitCode}`,
});

/** /proc/uptime has centiseconds; `date +%s` whole seconds from the host's (NTP-synced, so virtual) clock. */
function bootLines(boot: Boot, at: number): string {
  const uptime = ((at - boot.kernelStartAt) / 1000).toFixed(2);
  return `boot_id=${boot.id}\nuptime=${uptime}\nnow=${Math.floor(at / 1000)}\n`;
}

function evidenceOutput(world: SimWorld, boot: Boot, at: number): string {
  const running = boot.containers.filter((c) => c.state === 'running');
  const api = running.find((c) => c.spec.name === 'api');
  const bootElapsed = at - boot.kernelStartAt;
  const processes: Array<
    [pid: number, user: string, cpu: number, mem: number, elapsedMs: number, comm: string]
  > = [
    [1, 'root', 0.0, 1.3, bootElapsed, 'systemd'],
    [611, 'root', boot.cpuPinned ? 0.4 : 0.1, 2.4, bootElapsed - 9_000, 'amazon-ssm-agen'],
    [702, 'root', boot.cpuPinned ? 0.9 : 0.2, 8.1, bootElapsed - 12_000, 'dockerd'],
    [655, 'root', 0.1, 4.2, bootElapsed - 11_000, 'containerd'],
  ];
  for (const c of running) {
    const elapsed = at - (c.startedAt ?? at);
    const pinned = boot.cpuPinned && c.spec.name === 'api';
    const cpu = pinned ? 98.7 : c.spec.name === 'api' ? 1.8 : 0.1;
    const mem = ((pinned ? c.spec.pinnedMemMiB : c.spec.memMiB) / MEM_TOTAL_MIB) * 100;
    const comm = { redis: 'redis-server', api: 'node', nginx: 'nginx' }[c.spec.name] ?? c.spec.name;
    processes.push([2000 + APP_SERVICES.indexOf(c.spec) * 143, 'root', cpu, mem, elapsed, comm]);
  }
  const top = [
    '    PID USER     %CPU %MEM     ELAPSED COMMAND',
    ...processes
      .sort((a, b) => b[2] - a[2])
      .slice(0, 5)
      .map(
        ([pid, user, cpu, mem, elapsed, comm]) =>
          `${String(pid).padStart(7)} ${user.padEnd(8)} ${cpu.toFixed(1).padStart(4)} ${mem.toFixed(1).padStart(4)} ${psElapsed(elapsed).padStart(11)} ${comm}`,
      ),
  ];
  const stats = running.map((c) => {
    const pinned = boot.cpuPinned && c.spec.name === 'api';
    const cpu = pinned ? 99.12 : c.spec.name === 'api' ? 1.73 : 0.05;
    const mem = pinned ? c.spec.pinnedMemMiB : c.spec.memMiB;
    return `${containerName(c)} cpu=${cpu.toFixed(2)}% mem=${mem}MiB / ${MEM_TOTAL_MIB}MiB`;
  });
  const used = boot.cpuPinned ? 812 : Math.round(260 + running.length * 60);
  const cache = boot.cpuPinned ? 111 : 240;
  const memory = [
    '               total        used        free      shared  buff/cache   available',
    `Mem:             965 ${String(used).padStart(11)} ${String(965 - used - cache).padStart(11)}           2 ${String(cache).padStart(11)} ${String(965 - used - (boot.cpuPinned ? 126 : 40)).padStart(11)}`,
    'Swap:              0           0           0',
  ];
  const oom =
    boot.oomKills && api !== undefined
      ? [
          [25, 2388],
          [11, 2531],
        ].map(
          ([minutesAgo = 0, pid]) =>
            `${journalTime(world.startAt - minutesAgo * 60_000)} ip-172-31-5-17 kernel: Out of memory: Killed process ${pid} (node) total-vm:1843224kB, anon-rss:501232kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:1340kB oom_score_adj:0`,
        )
      : [];
  return [
    '### boot',
    bootLines(boot, at).trimEnd(),
    '### top',
    ...top,
    '### docker-stats',
    ...stats,
    '### memory',
    ...memory,
    '### oom',
    ...oom,
    '',
  ].join('\n');
}

/** `docker compose ps --all --format json` of compose v2.21+: one JSON object per line. */
function composePsOutput(boot: Boot, at: number): string {
  return boot.containers
    .map((c) => {
      const health = containerHealth(c, boot, at);
      return JSON.stringify({
        Command: c.spec.command,
        CreatedAt: dockerDate(c.createdAt),
        ExitCode: c.exitCode,
        Health: health,
        ID: c.id,
        Image: c.spec.image,
        Labels: `com.docker.compose.project=${COMPOSE_PROJECT},com.docker.compose.service=${c.spec.name}`,
        LocalVolumes: '0',
        Mounts: '',
        Name: containerName(c),
        Names: containerName(c),
        Networks: `${COMPOSE_PROJECT}_default`,
        Ports: c.state === 'running' ? c.spec.ports : '',
        Project: COMPOSE_PROJECT,
        RunningFor: `${humanDuration(at - c.createdAt)} ago`,
        Service: c.spec.name,
        Size: '0B',
        State: c.state,
        Status: dockerStatus(c, health, at),
      });
    })
    .join('\n')
    .concat('\n');
}

function dockerStatus(c: Container, health: Health, at: number): string {
  if (c.state === 'created') return 'Created';
  if (c.state === 'exited') return `Exited (${c.exitCode}) ${humanDuration(at - (c.finishedAt ?? at))} ago`;
  const suffix = health === '' ? '' : health === 'starting' ? ' (health: starting)' : ` (${health})`;
  return `Up ${humanDuration(at - (c.startedAt ?? at))}${suffix}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The app's HTTP endpoint

/** What a GET to the app's URL gets at `at`, and how long the client waits for it. */
export function probeApp(
  world: SimWorld,
  at: number,
  timeoutMs: number,
  latencyMs: number,
): { result: HttpProbeResult; elapsedMs: number } {
  const boot = world.state === 'running' ? world.liveBoot(at) : undefined;
  const timedOut = { result: { error: `timeout: no answer within ${timeoutMs} ms` }, elapsedMs: timeoutMs };
  // A host that is down or hung takes the SYN but never answers: the client waits out its timeout.
  if (boot === undefined || (boot.cpuPinned && boot.shutdown.kind === 'ignores')) return timedOut;
  const find = (name: string) => boot.containers.find((c) => c.spec.name === name && c.state === 'running');
  const answer = (status: number, body: string) => ({
    result: { status, bodySnippet: body },
    elapsedMs: latencyMs,
  });
  if (find('nginx') === undefined) {
    return { result: { error: `connect ECONNREFUSED ${PUBLIC_IP}:80` }, elapsedMs: latencyMs };
  }
  if (boot.cpuPinned) {
    if (timeoutMs <= SIM_TIMINGS.gatewayTimeoutMs) return timedOut;
    return { ...answer(504, nginxPage('504 Gateway Time-out')), elapsedMs: SIM_TIMINGS.gatewayTimeoutMs };
  }
  const api = find('api');
  if (api === undefined || containerHealth(api, boot, at) !== 'healthy') {
    return answer(502, nginxPage('502 Bad Gateway'));
  }
  return answer(200, '{"status":"ok"}');
}

const nginxPage = (title: string) =>
  `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx/1.27.5</center>\r\n</body>\r\n</html>`;

// ---------------------------------------------------------------------------------------------------------------
// Formats

/** ps `etime`: [[dd-]hh:]mm:ss */
function psElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const mm = String(Math.floor((total % 3600) / 60)).padStart(2, '0');
  const ss = String(total % 60).padStart(2, '0');
  if (days > 0) return `${days}-${String(hours).padStart(2, '0')}:${mm}:${ss}`;
  if (hours > 0) return `${String(hours).padStart(2, '0')}:${mm}:${ss}`;
  return `${mm}:${ss}`;
}

/** docker's go-units HumanDuration, as in `Up 2 minutes` and `3 weeks ago`. */
function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 14) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 60) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(hours / 24 / 365)} years`;
}

/** `2026-01-01 00:00:00 +0000 UTC`, as docker prints CreatedAt. */
function dockerDate(at: number): string {
  return `${new Date(at).toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** journalctl's short format: `Jan 01 00:12:40` (the instance runs in UTC). */
function journalTime(at: number): string {
  const d = new Date(at);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, '0')} ${d.toISOString().slice(11, 19)}`;
}
