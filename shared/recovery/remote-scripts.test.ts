import { describe, expect, it } from 'vitest';
import {
  bootProbeScript,
  composePsScript,
  composeUpScript,
  evidenceScript,
  parseBootProbe,
  parseComposePs,
  parseEvidence,
  remoteScriptKind,
  scriptWaitSeconds,
  tail,
} from './remote-scripts.js';

describe('remote scripts', () => {
  it('name their kind on the first line', () => {
    expect(remoteScriptKind(bootProbeScript())).toBe('boot-probe');
    expect(remoteScriptKind(evidenceScript())).toBe('evidence');
    expect(remoteScriptKind(composeUpScript({ command: 'auto', directory: '/srv' }))).toBe('compose-up');
    expect(remoteScriptKind(composePsScript({ command: 'auto', directory: '/srv', waitSeconds: 30 }))).toBe(
      'compose-ps',
    );
    expect(remoteScriptKind(['echo hi'])).toBeUndefined();
  });

  it('run compose as the configured user, in the configured directory', () => {
    const script = composeUpScript({
      command: 'docker-compose',
      directory: '/home/ubuntu',
      user: 'ubuntu',
    }).join('\n');
    expect(script).toContain("runuser -u ubuntu -- sh -c '");
    expect(script).toContain('cd /home/ubuntu;');
    expect(script).toContain('COMPOSE="docker-compose"; $COMPOSE up -d');
  });

  it('pick v2 or v1 on the host with compose.command auto, and fail loudly with neither', () => {
    const script = composeUpScript({ command: 'auto', directory: '/srv' }).join('\n');
    expect(script).toMatch(/docker compose version .* COMPOSE="docker compose"/);
    expect(script).toMatch(/command -v docker-compose .* COMPOSE=docker-compose/);
    expect(script).toContain('exit 127');
  });

  it('keep single quotes of the inner script intact under runuser', () => {
    const script = composePsScript({ command: 'auto', directory: '/srv', user: 'app', waitSeconds: 30 }).join(
      '\n',
    );
    // The grep pattern is single-quoted inside sh -c '...': each quote must be closed, escaped and reopened.
    expect(script).toContain(`grep -qE '"'"'"Health"`);
    expect(scriptWaitSeconds(composePsScript({ command: 'auto', directory: '/srv', waitSeconds: 42 }))).toBe(
      42,
    );
  });
});

describe('parsers', () => {
  it('read a boot probe, with and without the host clock', () => {
    expect(
      parseBootProbe('boot_id=0f8e7c2a-1b3d-4e5f-8a9b-0c1d2e3f4a5b\nuptime=12.34\nnow=1767225600\n'),
    ).toEqual({
      bootId: '0f8e7c2a-1b3d-4e5f-8a9b-0c1d2e3f4a5b',
      uptimeSeconds: 12.34,
      hostNowSeconds: 1767225600,
    });
    expect(parseBootProbe('boot_id=0f8e7c2a-1b3d-4e5f-8a9b-0c1d2e3f4a5b\nuptime=5\n')).not.toHaveProperty(
      'hostNowSeconds',
    );
    expect(parseBootProbe('cat: /proc/uptime: No such file')).toBeUndefined();
  });

  it('split evidence into sections and tolerate missing ones', () => {
    const out = [
      '### boot',
      'boot_id=0f8e7c2a-1b3d-4e5f-8a9b-0c1d2e3f4a5b',
      'uptime=86400.5',
      '### top',
      '  PID USER %CPU %MEM ELAPSED COMMAND',
      ' 1234 root 98.7 40.1 02:00:00 java',
      '### docker-stats',
      '### memory',
      'Mem: 957 900 57',
    ].join('\n');
    const sections = parseEvidence(out);
    expect(sections.boot?.uptimeSeconds).toBe(86400.5);
    expect(sections.top).toContain('java');
    expect(sections.dockerStats).toBeUndefined();
    expect(sections.memory).toBe('Mem: 957 900 57');
  });

  it('read compose ps from v2 NDJSON, v2 arrays and the v1 table', () => {
    const ndjson =
      '{"Service":"api","State":"running","Health":"healthy"}\n{"Service":"redis","State":"running","Health":""}';
    expect(parseComposePs(ndjson)).toEqual([
      { service: 'api', state: 'running', health: 'healthy' },
      { service: 'redis', state: 'running', health: '' },
    ]);
    expect(parseComposePs('[{"Service":"api","State":"exited","Health":""}]')).toEqual([
      { service: 'api', state: 'exited', health: '' },
    ]);
    const v1 = [
      '     Name              Command          State                  Ports',
      '----------------------------------------------------------------------------',
      'domtory_api_1     java -jar app.jar   Up (health: starting)   8080/tcp',
      'domtory_redis_1   redis-server        Up                      6379/tcp',
      'domtory_nginx_1   nginx -g daemon     Exit 1',
    ].join('\n');
    expect(parseComposePs(v1)).toEqual([
      { service: 'domtory_api_1', state: 'running', health: 'starting' },
      { service: 'domtory_redis_1', state: 'running', health: '' },
      { service: 'domtory_nginx_1', state: 'exited', health: '' },
    ]);
    expect(parseComposePs('  \n')).toEqual([]);
  });

  it('keep the end of long output, where errors are', () => {
    const long = `${'a'.repeat(5000)}ERROR at the end`;
    expect(tail(long, 100)).toMatch(/^…\(4916 characters cut\)\n.*ERROR at the end$/s);
    expect(tail('short')).toBe('short');
  });
});
