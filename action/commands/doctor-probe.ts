import type { Target } from '../../shared/config/schema.js';
import { asUser, bootProbeScript } from '../../shared/recovery/remote-scripts.js';

/**
 * The doctor's one SSM command: read-only, answers in well under a second on a healthy host, and tells whether
 * a recovery's compose step could work there: the directory, Docker and its daemon, Compose v2 or v1, a compose
 * file. The Docker part runs as the configured compose user, as the recovery's own commands do.
 *
 * Interpolated values come from the validated config (safe characters only), as in shared/recovery/remote-scripts.
 */
export const DOCTOR_SCRIPT_MARKER = '# domtory-recovery:doctor';

const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

export function doctorScript(target: Target): string[] {
  const { directory, user } = target.compose;
  const docker = [
    `cd ${directory} 2>/dev/null && echo "directory=ok" || echo "directory=missing"`,
    'command -v docker >/dev/null 2>&1 && echo "docker=present" || echo "docker=missing"',
    'echo "docker_server=$(docker version --format "{{.Server.Version}}" 2>&1 | head -n 1)"',
    'docker compose version >/dev/null 2>&1 && echo "compose_v2=$(docker compose version --short 2>/dev/null)"',
    'command -v docker-compose >/dev/null 2>&1 && echo "compose_v1=$(docker-compose version --short 2>/dev/null)"',
    `for f in ${COMPOSE_FILES.join(' ')}; do [ -f "$f" ] && echo "compose_file=$f"; done`,
    'true',
  ].join('; ');
  return [
    DOCTOR_SCRIPT_MARKER,
    // The recovery's boot probe lines (less its marker), so the doctor shows the boot id and uptime a recovery sees.
    ...bootProbeScript().slice(1),
    user === undefined ? docker : `${asUser(user, docker)} || echo "user=failed"`,
  ];
}

export interface DoctorProbe {
  bootId?: string;
  uptimeSeconds?: number;
  directory: boolean;
  docker: boolean;
  /** The daemon's version, or the error `docker version` printed instead. */
  dockerServer: string;
  composeV2?: string;
  composeV1?: string;
  composeFiles: string[];
  userFailed: boolean;
}

export function parseDoctorProbe(stdout: string): DoctorProbe {
  const values = new Map<string, string[]>();
  for (const line of stdout.split('\n')) {
    const match = /^([a-z_0-9]+)=(.*)$/.exec(line.trim());
    if (match?.[1] === undefined) continue;
    values.set(match[1], [...(values.get(match[1]) ?? []), match[2] ?? '']);
  }
  const first = (key: string) => values.get(key)?.[0];
  const probe: DoctorProbe = {
    directory: first('directory') === 'ok',
    docker: first('docker') === 'present',
    dockerServer: first('docker_server') ?? '',
    composeFiles: values.get('compose_file') ?? [],
    userFailed: first('user') === 'failed',
  };
  const bootId = first('boot_id');
  if (bootId !== undefined && bootId !== '') probe.bootId = bootId;
  const uptime = Number(first('uptime'));
  if (Number.isFinite(uptime)) probe.uptimeSeconds = uptime;
  const v2 = first('compose_v2');
  if (v2 !== undefined) probe.composeV2 = v2 || 'unknown version';
  const v1 = first('compose_v1');
  if (v1 !== undefined) probe.composeV1 = v1 || 'unknown version';
  return probe;
}

export interface ComposeVerdict {
  ok: boolean;
  detail: string;
  fix?: string;
}

/** Whether the compose step of a recovery could run, judged from the probe; the first problem found wins. */
export function composeVerdict(target: Target, probe: DoctorProbe): ComposeVerdict {
  const { directory, command, user } = target.compose;
  const who = user ?? 'root';
  if (probe.userFailed) {
    return {
      ok: false,
      detail: `could not run commands as ${who}`,
      fix: `Check that the user ${who} exists on the instance (compose.user), or remove compose.user to run as root.`,
    };
  }
  if (!probe.directory) {
    return {
      ok: false,
      detail: `${directory} does not exist (or ${who} cannot enter it)`,
      fix: `Point compose.directory at the compose project on the instance, or give ${who} access to it.`,
    };
  }
  if (!probe.docker) {
    return {
      ok: false,
      detail: 'docker is not installed (not on the PATH)',
      fix: 'Install Docker Engine on the instance: https://docs.docker.com/engine/install/',
    };
  }
  if (!/^\d+\.\d+/.test(probe.dockerServer)) {
    const permission = /permission denied/i.test(probe.dockerServer);
    return {
      ok: false,
      detail: `the Docker daemon does not answer ${who}: ${probe.dockerServer || 'no answer'}`,
      fix: permission
        ? `Add ${who} to the docker group: sudo usermod -aG docker ${who} (then log in again or reboot).`
        : 'Start Docker and enable it at boot: sudo systemctl enable --now docker.',
    };
  }
  const v2 = probe.composeV2;
  const v1 = probe.composeV1;
  if (command === 'docker compose' && v2 === undefined) {
    return {
      ok: false,
      detail: `compose.command is "docker compose" but the Compose plugin is missing${v1 === undefined ? '' : ` (docker-compose ${v1} is installed)`}`,
      fix:
        v1 === undefined
          ? 'Install the Docker Compose plugin (docker-compose-plugin).'
          : 'Set compose.command to "docker-compose" or "auto", or install the Docker Compose plugin.',
    };
  }
  if (command === 'docker-compose' && v1 === undefined) {
    return {
      ok: false,
      detail: `compose.command is "docker-compose" but it is not installed${v2 === undefined ? '' : ` (docker compose ${v2} is)`}`,
      fix: 'Set compose.command to "docker compose" or "auto".',
    };
  }
  if (v1 === undefined && v2 === undefined) {
    return {
      ok: false,
      detail: 'neither docker compose nor docker-compose is installed',
      fix: 'Install the Docker Compose plugin (docker-compose-plugin).',
    };
  }
  if (probe.composeFiles.length === 0) {
    return {
      ok: false,
      detail: `no ${COMPOSE_FILES.join(', ')} in ${directory}`,
      fix: 'Point compose.directory at the directory that holds the compose file.',
    };
  }
  const used =
    command === 'docker-compose' || (command === 'auto' && v2 === undefined)
      ? `docker-compose ${v1}`
      : `docker compose ${v2}`;
  return {
    ok: true,
    detail: `Docker ${probe.dockerServer}, ${used}, ${probe.composeFiles.join(', ')} in ${directory} (as ${who})`,
  };
}
