import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Target } from '../../shared/config/schema.js';
import { composeVerdict, doctorScript, parseDoctorProbe } from './doctor-probe.js';

const TARGET = {
  name: 'web',
  compose: { directory: '/srv/app', command: 'auto', user: 'ubuntu' },
} as Target;

const HEALTHY =
  'boot_id=x\nuptime=100.5\ndirectory=ok\ndocker=present\ndocker_server=27.3.1\ncompose_v2=2.29.7\ncompose_file=compose.yaml\n';

describe('doctor probe', () => {
  it('runs the Docker checks as the compose user, in the compose directory', () => {
    const script = doctorScript(TARGET);
    expect(script[0]).toBe('# domtory-recovery:doctor');
    expect(script.at(-1)).toMatch(
      /^runuser -u ubuntu -- sh -c 'cd \/srv\/app 2>\/dev\/null && echo "directory=ok"/,
    );
    expect(script.at(-1)).toMatch(/' \|\| echo "user=failed"$/);
  });

  it('hands runuser the Docker checks intact, even when they contain a quote', () => {
    const quoted = { ...TARGET, compose: { ...TARGET.compose, directory: "/srv/it's" } } as Target;
    const { user: _user, ...asRoot } = quoted.compose;
    const line = doctorScript(quoted).at(-1) ?? '';
    // A stand-in runuser prints its sixth argument, the script `sh -c` would run as the user, as a shell parses it.
    const received = execFileSync('sh', ['-c', `runuser() { printf '%s' "$6"; }; ${line}`], {
      encoding: 'utf8',
    });
    expect(received).toBe(doctorScript({ ...quoted, compose: asRoot } as Target).at(-1));
    expect(received).toContain("cd /srv/it's 2>/dev/null");
  });

  it('reads the uptime, and leaves it out when the probe has none or not a number', () => {
    expect(parseDoctorProbe(HEALTHY).uptimeSeconds).toBe(100.5);
    expect(parseDoctorProbe('boot_id=x\n')).not.toHaveProperty('uptimeSeconds');
    expect(parseDoctorProbe('boot_id=x\nuptime=cut: /proc/uptime: No such file\n')).not.toHaveProperty(
      'uptimeSeconds',
    );
  });

  it('passes a host with Docker, Compose v2 and a compose file', () => {
    expect(composeVerdict(TARGET, parseDoctorProbe(HEALTHY))).toEqual({
      ok: true,
      detail: 'Docker 27.3.1, docker compose 2.29.7, compose.yaml in /srv/app (as ubuntu)',
    });
  });

  it.each([
    ['directory=missing', 'does not exist', 'compose.directory'],
    ['docker=missing', 'docker is not installed', 'Install Docker Engine'],
    [
      'docker_server=permission denied while trying to connect to the Docker daemon socket',
      'does not answer ubuntu',
      'sudo usermod -aG docker ubuntu',
    ],
    ['docker_server=Cannot connect to the Docker daemon', 'does not answer', 'systemctl enable --now docker'],
    ['compose_v2=', '', ''],
    ['compose_file=', 'no compose.yaml', 'Point compose.directory'],
  ])('names the problem and the fix: %s', (line, detail, fix) => {
    const [key] = line.split('=');
    const stdout = HEALTHY.split('\n')
      .filter((entry) => !entry.startsWith(`${key}=`))
      .concat(line.endsWith('=') ? [] : [line])
      .join('\n');
    const verdict = composeVerdict(TARGET, parseDoctorProbe(stdout));
    if (key === 'compose_v2') {
      expect(verdict).toMatchObject({
        ok: false,
        detail: 'neither docker compose nor docker-compose is installed',
      });
      return;
    }
    expect(verdict.ok).toBe(false);
    expect(verdict.detail).toContain(detail);
    expect(verdict.fix).toContain(fix);
  });

  it('knows which compose a fixed compose.command needs', () => {
    const v1Only = HEALTHY.replace('compose_v2=2.29.7', 'compose_v1=1.29.2');
    const fixed = { ...TARGET, compose: { ...TARGET.compose, command: 'docker compose' } } as Target;
    expect(composeVerdict(fixed, parseDoctorProbe(v1Only))).toMatchObject({
      ok: false,
      fix: 'Set compose.command to "docker-compose" or "auto", or install the Docker Compose plugin.',
    });
    expect(composeVerdict(TARGET, parseDoctorProbe(v1Only))).toMatchObject({
      ok: true,
      detail: expect.stringContaining('docker-compose 1.29.2'),
    });
  });
});
