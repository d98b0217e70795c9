import type { ComposeCommand } from '../config/schema.js';
import type { ServiceStatus } from './events.js';

/**
 * The shell scripts the core sends through SSM `AWS-RunShellScript`, and the parsers for what they print.
 *
 * Each script starts with a `# domtory-recovery:<kind>` line: it names the script in the SSM console and in
 * CloudTrail, and lets the simulator answer each kind the way a real host would.
 * Every value interpolated here comes from the validated config (safe characters only), never from a user.
 */

export type RemoteScriptKind = 'boot-probe' | 'evidence' | 'compose-up' | 'compose-wait' | 'compose-ps';

const MARKER = '# domtory-recovery:';

export function remoteScriptKind(commands: readonly string[]): RemoteScriptKind | undefined {
  const first = commands[0] ?? '';
  if (!first.startsWith(MARKER)) return undefined;
  const kind = first.slice(MARKER.length).trim();
  return (['boot-probe', 'evidence', 'compose-up', 'compose-wait', 'compose-ps'] as const).find(
    (k) => k === kind,
  );
}

/** A command small enough to answer in milliseconds: which boot is this, and for how long has it been up. */
export function bootProbeScript(startCompose?: ComposeOnNewBoot): string[] {
  const lines = [`${MARKER}boot-probe`];
  if (startCompose !== undefined) {
    lines.push(
      `# start-compose-on-new-boot=${startCompose.runId}`,
      `# new-boot-rule=${formatNewBootRule(startCompose.rule)}`,
    );
  }
  lines.push(
    'boot=$(cat /proc/sys/kernel/random/boot_id); up=$(cut -d" " -f1 /proc/uptime); now=$(date +%s)',
    'echo "boot_id=$boot"',
    'echo "uptime=$up"',
    'echo "now=$now"',
  );
  if (startCompose !== undefined) lines.push(startComposeOnNewBoot(startCompose));
  return lines;
}

/**
 * What makes a boot "new": a boot id other than the one seen before the restart, or, when none was seen, a
 * boot that started (by the host's clock) after the restart was requested, less some clock skew.
 */
export type NewBootRule = { bootIdOtherThan: string } | { startedAfterEpochSeconds: number };

export interface ComposeOnNewBoot {
  /** Names this recovery's compose run on the host; a second probe of the same run never starts it twice. */
  runId: string;
  rule: NewBootRule;
  compose: ComposeScriptOptions;
}

/** A target name (up to 63 characters), the start time in base 36 and 6 hex digits, with room to spare. */
const RUN_ID = /^[a-z0-9-]{1,100}$/;
/** Where compose runs started by a probe keep their output and exit code; exported for tests that run the scripts. */
export const COMPOSE_RUN_DIR = '/run/domtory-recovery';

function formatNewBootRule(rule: NewBootRule): string {
  return 'bootIdOtherThan' in rule
    ? `boot-id-not:${rule.bootIdOtherThan}`
    : `started-after:${rule.startedAfterEpochSeconds}`;
}

export function parseNewBootRule(commands: readonly string[]): NewBootRule | undefined {
  const value = headerValue(commands, 'new-boot-rule');
  if (value?.startsWith('boot-id-not:')) return { bootIdOtherThan: value.slice('boot-id-not:'.length) };
  if (value?.startsWith('started-after:'))
    return { startedAfterEpochSeconds: Number(value.slice('started-after:'.length)) };
  return undefined;
}

/** The run a probe starts compose for, or a compose-wait waits on. */
export function composeRunId(commands: readonly string[]): string | undefined {
  return headerValue(commands, 'start-compose-on-new-boot') ?? headerValue(commands, 'run-id');
}

function headerValue(commands: readonly string[], name: string): string | undefined {
  const line = commands.find((command) => command.startsWith(`# ${name}=`));
  return line?.slice(`# ${name}=`.length);
}

/**
 * Started by the probe itself, compose begins the instant the new boot's agent delivers the probe, not one SSM
 * round trip after we have read the probe's answer: the wait for the new boot leaves the critical path. /run is a
 * tmpfs, so the run directory exists once per boot, and `mkdir` makes "start it once" atomic. setsid detaches the
 * job from the agent's process group, so it outlives this command.
 */
function startComposeOnNewBoot({ runId, rule, compose }: ComposeOnNewBoot): string {
  if (!RUN_ID.test(runId)) throw new Error(`invalid compose run id ${runId}`);
  const isNew =
    'bootIdOtherThan' in rule
      ? `[ "$boot" != "${rule.bootIdOtherThan.replace(/[^0-9a-f-]/g, '')}" ]`
      : `[ $(( now - \${up%.*} )) -ge ${Math.floor(rule.startedAfterEpochSeconds)} ]`;
  // The subshell keeps the compose command's `set -e` (and its exit 127 when neither compose is installed) from
  // ending the job before the exit code is written, and sends all of its output to the run's files.
  const job = `(${composeUpCommand(compose)}) >"$1/out" 2>"$1/err"; echo $? >"$1/exit.tmp" && mv "$1/exit.tmp" "$1/exit"`;
  return [
    `if ${isNew}; then`,
    `  d=${COMPOSE_RUN_DIR}/${runId}`,
    `  if mkdir -p ${COMPOSE_RUN_DIR} && mkdir "$d" 2>/dev/null; then`,
    `    setsid sh -c ${shellQuote(job)} compose "$d" </dev/null >/dev/null 2>&1 &`,
    '    echo "compose=started"',
    '  else',
    '    echo "compose=already-started"',
    '  fi',
    'fi',
  ].join('\n');
}

/** Waits on the host for the compose run a probe started, then reports it as if it had run in this command. */
export function composeWaitScript(options: { runId: string; waitSeconds: number }): string[] {
  if (!RUN_ID.test(options.runId)) throw new Error(`invalid compose run id ${options.runId}`);
  const wait = Math.max(1, Math.floor(options.waitSeconds));
  return [
    `${MARKER}compose-wait`,
    `# run-id=${options.runId}`,
    `# wait-seconds=${wait}`,
    `d=${COMPOSE_RUN_DIR}/${options.runId}; end=$(( $(date +%s) + ${wait} ))`,
    '[ -d "$d" ] || { echo "no compose run $d on this boot" >&2; exit 3; }',
    `while [ ! -f "$d/exit" ]; do [ "$(date +%s)" -ge "$end" ] && { echo "compose still running after ${wait} s" >&2; exit 124; }; sleep 0.5; done`,
    'cat "$d/out"; cat "$d/err" >&2; exit "$(cat "$d/exit")"',
  ];
}

/** What a probe that was asked to start compose did about it. */
export function parseComposeStart(stdout: string): 'started' | 'already-started' | undefined {
  const value = /^compose=(started|already-started)\s*$/m.exec(stdout)?.[1];
  return value === 'started' || value === 'already-started' ? value : undefined;
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'"'"'`)}'`;
}

export interface BootProbe {
  bootId: string;
  uptimeSeconds: number;
  /** The host's wall clock (epoch seconds) when it answered; lets `boot started at` be computed without knowing when the command ran. */
  hostNowSeconds?: number;
}

export function parseBootProbe(stdout: string): BootProbe | undefined {
  const bootId = /^boot_id=([0-9a-f-]{36})\s*$/m.exec(stdout)?.[1];
  const uptime = /^uptime=(\d+(?:\.\d+)?)\s*$/m.exec(stdout)?.[1];
  if (bootId === undefined || uptime === undefined) return undefined;
  const now = /^now=(\d+(?:\.\d+)?)\s*$/m.exec(stdout)?.[1];
  const probe: BootProbe = { bootId, uptimeSeconds: Number(uptime) };
  if (now !== undefined) probe.hostNowSeconds = Number(now);
  return probe;
}

/** Read-only evidence from the struggling host. Each section is optional: a half-dead host answers what it can. */
export function evidenceScript(): string[] {
  return [
    `${MARKER}evidence`,
    'echo "### boot"',
    ...bootProbeScript().slice(1),
    'echo "### top"',
    'ps -eo pid,user,pcpu,pmem,etime,comm --sort=-pcpu 2>/dev/null | head -n 6',
    'echo "### docker-stats"',
    'timeout 8 docker stats --no-stream --format "{{.Name}} cpu={{.CPUPerc}} mem={{.MemUsage}}" 2>&1 | head -n 20',
    'echo "### memory"',
    'free -m 2>/dev/null',
    'echo "### oom"',
    '(journalctl -k --since "-2h" --no-pager 2>/dev/null || dmesg 2>/dev/null) | grep -iE "out of memory|oom-kill|killed process" | tail -n 5',
    'true',
  ];
}

export interface EvidenceSections {
  boot?: BootProbe;
  top?: string;
  dockerStats?: string;
  memory?: string;
  oom?: string;
}

export function parseEvidence(stdout: string): EvidenceSections {
  const sections = new Map<string, string>();
  let current: string | undefined;
  const lines: string[] = [];
  const flush = () => {
    if (current !== undefined) sections.set(current, lines.join('\n').trim());
    lines.length = 0;
  };
  for (const line of stdout.split('\n')) {
    const header = /^### ([a-z-]+)\s*$/.exec(line);
    if (header?.[1] !== undefined) {
      flush();
      current = header[1];
    } else {
      lines.push(line);
    }
  }
  flush();
  const result: EvidenceSections = {};
  const boot = parseBootProbe(sections.get('boot') ?? '');
  if (boot !== undefined) result.boot = boot;
  const assign = (key: 'top' | 'dockerStats' | 'memory' | 'oom', name: string) => {
    const text = sections.get(name);
    if (text !== undefined && text !== '') result[key] = text;
  };
  assign('top', 'top');
  assign('dockerStats', 'docker-stats');
  assign('memory', 'memory');
  assign('oom', 'oom');
  return result;
}

export interface ComposeScriptOptions {
  command: ComposeCommand;
  directory: string;
  user?: string;
}

/**
 * Sets `$COMPOSE` to `docker compose` (v2) or `docker-compose` (v1). With `auto` the host decides, so one config
 * serves hosts on either; a host with neither fails with exit 127 and says so.
 */
function selectCompose(command: ComposeCommand): string {
  if (command !== 'auto') return `COMPOSE="${command}"`;
  return [
    'if docker compose version >/dev/null 2>&1; then COMPOSE="docker compose";',
    'elif command -v docker-compose >/dev/null 2>&1; then COMPOSE=docker-compose;',
    'else echo "neither docker compose nor docker-compose is installed" >&2; exit 127; fi',
  ].join(' ');
}

export function asUser(user: string | undefined, script: string): string {
  // runuser keeps the docker group membership of the user and needs no sudoers entry; SSM runs scripts as root.
  return user === undefined ? script : `runuser -u ${user} -- sh -c ${shellQuote(script)}`;
}

function composeUpCommand(options: ComposeScriptOptions): string {
  return asUser(
    options.user,
    `set -e; cd ${options.directory}; ${selectCompose(options.command)}; $COMPOSE up -d --remove-orphans`,
  );
}

export function composeUpScript(options: ComposeScriptOptions): string[] {
  return [`${MARKER}compose-up`, composeUpCommand(options)];
}

/**
 * Waits on the host (up to `waitSeconds`) until every service runs and no healthcheck is `starting`, then prints
 * the services: one SSM round trip instead of one per look. v2 prints one JSON object per line (newer) or one
 * JSON array (older); v1 has no JSON and prints a table.
 */
export function composePsScript(options: ComposeScriptOptions & { waitSeconds: number }): string[] {
  const notReady =
    '"Health":"(starting|unhealthy)"|"State":"(created|exited|restarting|paused|dead|removing)"|health: starting|Exit [0-9]|Restarting';
  const body = [
    `set -e; cd ${options.directory}; ${selectCompose(options.command)}`,
    `end=$(( $(date +%s) + ${Math.max(0, Math.floor(options.waitSeconds))} ))`,
    'while :; do',
    '  out=$($COMPOSE ps --all --format json 2>/dev/null || $COMPOSE ps)',
    `  if [ -n "$out" ] && ! printf "%s" "$out" | grep -qE '${notReady}'; then break; fi`,
    '  if [ "$(date +%s)" -ge "$end" ]; then break; fi',
    '  sleep 0.5',
    'done',
    'printf "%s\\n" "$out"',
  ].join('\n');
  return [
    `${MARKER}compose-ps`,
    `# wait-seconds=${Math.max(0, Math.floor(options.waitSeconds))}`,
    asUser(options.user, body),
  ];
}

/** The host-side wait a compose-ps or compose-wait script asks for (the simulator honours it as a host would). */
export function scriptWaitSeconds(commands: readonly string[]): number {
  return Number(headerValue(commands, 'wait-seconds') ?? 0) || 0;
}

export function parseComposePs(stdout: string): ServiceStatus[] {
  const text = stdout.trim();
  if (text === '') return [];
  if (text.startsWith('[') || text.startsWith('{')) {
    const records: unknown[] = text.startsWith('[')
      ? (JSON.parse(text) as unknown[])
      : text
          .split('\n')
          .filter((line) => line.trim().startsWith('{'))
          .map((line) => JSON.parse(line) as unknown);
    return records.map((record) => {
      const r = record as Record<string, unknown>;
      return {
        service: String(r.Service ?? r.Name ?? ''),
        state: String(r.State ?? '').toLowerCase(),
        health: String(r.Health ?? '').toLowerCase(),
      };
    });
  }
  return parseComposeV1Table(text);
}

/** `docker-compose ps` (v1): a header, a dashed rule, then `name  command  state  ports` columns. */
function parseComposeV1Table(text: string): ServiceStatus[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '' && !/^-+$/.test(line.trim()));
  return lines.slice(1).map((line) => {
    const name = line.trim().split(/\s+/)[0] ?? '';
    const stateMatch =
      /\s(Up(?: \((healthy|unhealthy|health: starting)\))?|Exit \d+|Restarting|Paused)(?=\s|$)/.exec(line);
    const stateText = stateMatch?.[1] ?? 'unknown';
    const health = stateMatch?.[2] === 'health: starting' ? 'starting' : (stateMatch?.[2] ?? '');
    // Speak v2's vocabulary, so one readiness rule serves both versions.
    const state = stateText.startsWith('Up')
      ? 'running'
      : stateText.startsWith('Exit')
        ? 'exited'
        : stateText.toLowerCase();
    return { service: name, state, health };
  });
}

/** Keeps the end of long output, where the error usually is, and says how much was cut. */
export function tail(text: string, maxChars = 1500): string {
  if (text.length <= maxChars) return text;
  return `…(${text.length - maxChars} characters cut)\n${text.slice(-maxChars)}`;
}
