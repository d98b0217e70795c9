import type { ComposeCommand } from '../config/schema.js';
import type { ServiceStatus } from './events.js';

/**
 * The shell scripts the core sends through SSM `AWS-RunShellScript`, and the parsers for what they print.
 *
 * Each script starts with a `# domtory-recovery:<kind>` line: it names the script in the SSM console and in
 * CloudTrail, and lets the simulator answer each kind the way a real host would.
 * Every value interpolated here comes from the validated config (safe characters only), never from a user.
 */

export type RemoteScriptKind = 'boot-probe' | 'evidence' | 'compose-up' | 'compose-ps';

const MARKER = '# domtory-recovery:';

export function remoteScriptKind(commands: readonly string[]): RemoteScriptKind | undefined {
  const first = commands[0] ?? '';
  if (!first.startsWith(MARKER)) return undefined;
  const kind = first.slice(MARKER.length).trim();
  return (['boot-probe', 'evidence', 'compose-up', 'compose-ps'] as const).find((k) => k === kind);
}

/** A command small enough to answer in milliseconds: which boot is this, and for how long has it been up. */
export function bootProbeScript(): string[] {
  return [
    `${MARKER}boot-probe`,
    'echo "boot_id=$(cat /proc/sys/kernel/random/boot_id)"',
    'echo "uptime=$(cut -d" " -f1 /proc/uptime)"',
    'echo "now=$(date +%s)"',
  ];
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

function asUser(user: string | undefined, script: string): string {
  // runuser keeps the docker group membership of the user and needs no sudoers entry; SSM runs scripts as root.
  return user === undefined ? script : `runuser -u ${user} -- sh -c '${script.replaceAll("'", `'"'"'`)}'`;
}

export function composeUpScript(options: ComposeScriptOptions): string[] {
  const body = `set -e; cd ${options.directory}; ${selectCompose(options.command)}; $COMPOSE up -d --remove-orphans`;
  return [`${MARKER}compose-up`, asUser(options.user, body)];
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
    '  sleep 1',
    'done',
    'printf "%s\\n" "$out"',
  ].join('\n');
  return [
    `${MARKER}compose-ps`,
    `# wait-seconds=${Math.max(0, Math.floor(options.waitSeconds))}`,
    asUser(options.user, body),
  ];
}

/** The host-side wait a compose-ps script asks for (the simulator honours it the way a host would). */
export function composePsWaitSeconds(commands: readonly string[]): number {
  const line = commands.find((command) => command.startsWith('# wait-seconds='));
  return line === undefined ? 0 : Number(line.slice('# wait-seconds='.length)) || 0;
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
