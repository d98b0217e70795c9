import { describe, expect, it } from 'vitest';
import type { ProgressEvent, RecoveryResult } from '../../shared/recovery/events.js';
import type { RunContext } from '../inputs.js';
import { memoryLog } from '../log.js';
import { createProgressLog } from './progress-log.js';
import { restartReport } from './restart-report.js';

const CONTEXT: RunContext = {
  owner: 'github:octo/app#7',
  trigger: { kind: 'github', actor: 'octocat' },
  runUrl: 'https://github.com/octo/app/actions/runs/7',
};

const FAILED: RecoveryResult = {
  target: 'web',
  instanceId: 'i-0123456789abcdef0',
  trigger: CONTEXT.trigger,
  dryRun: false,
  outcome: 'failed',
  error: {
    code: 'compose-failed',
    message: 'compose up exited 1: port is already allocated',
    fix: 'Free the port.',
  },
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:01:40.000Z',
  durationMs: 100_000,
  steps: [
    {
      step: 'preflight',
      status: 'succeeded',
      startedAt: '2026-01-01T00:00:00.000Z',
      durationMs: 300,
      detail: 't3.small, running, lock taken',
    },
    {
      step: 'compose-up',
      status: 'failed',
      startedAt: '2026-01-01T00:01:00.000Z',
      durationMs: 2_000,
      detail: 'compose up exited 1',
    },
  ],
  newBootSeen: true,
  bootIdBefore: 'aaaaaaaa-0000-0000-0000-000000000000',
  bootIdAfter: 'bbbbbbbb-0000-0000-0000-000000000000',
  escalated: false,
  commandIds: ['c-1', 'c-2'],
  compose: {
    commandId: 'c-2',
    exitCode: 1,
    status: 'Failed',
    stdoutTail: '',
    stderrTail: 'Error <port> | 80 ```',
  },
  warnings: [],
};

describe('restartReport', () => {
  it('fails the job with the reason and the fix, and says so in red at the top of the summary', () => {
    const report = restartReport(FAILED, CONTEXT, 'ap-northeast-2');
    expect(report.ok).toBe(false);
    expect(report.failure).toBe(
      'Recovery of web failed: compose up exited 1: port is already allocated\nFix: Free the port.',
    );
    expect(report.summary.split('\n\n').slice(0, 2)).toEqual([
      '## ❌ Recovery of web failed after 1 min 40 s',
      '> [!CAUTION]\n> **compose-failed**: compose up exited 1: port is already allocated\n> Fix: Free the port.',
    ]);
    expect(report.summary).toContain('| Start the compose app | ❌ failed | 2.0 s | compose up exited 1 |');
    expect(report.summary).toContain('````\nstderr:\nError <port> | 80 ```\n````');
    expect(report.outputs).toMatchObject({
      outcome: 'failed',
      'command-id': 'c-2',
      'error-code': 'compose-failed',
    });
  });
});

describe('createProgressLog', () => {
  it('groups each step, closes a group on failure, and turns warnings into annotations', () => {
    const log = memoryLog();
    const render = createProgressLog(log);
    const events: ProgressEvent[] = [
      {
        type: 'recovery-started',
        at: 0,
        target: 'web',
        instanceId: 'i-1',
        trigger: CONTEXT.trigger,
        dryRun: false,
      },
      { type: 'step-started', at: 0, target: 'web', step: 'preflight', title: 'Preflight' },
      {
        type: 'step-finished',
        at: 300,
        target: 'web',
        step: 'preflight',
        durationMs: 300,
        detail: 'lock taken',
      },
      { type: 'step-started', at: 300, target: 'web', step: 'compose-up', title: 'Start the compose app' },
      { type: 'warning', at: 400, target: 'web', message: 'slow' },
      {
        type: 'step-failed',
        at: 2300,
        target: 'web',
        step: 'compose-up',
        durationMs: 2000,
        error: { code: 'compose-failed', message: 'exit 1', fix: 'look' },
      },
      { type: 'step-skipped', at: 2300, target: 'web', step: 'verify', reason: 'compose failed' },
    ];
    for (const event of events) render(event);
    expect(log.lines).toEqual([
      'Recovering web (i-1), asked by github octocat',
      '::group::Preflight',
      '00:00.3  ✔ Preflight: lock taken (0.3 s)',
      '::endgroup::',
      '::group::Start the compose app',
      'warning: slow',
      '00:02.3  ✖ Start the compose app: exit 1',
      '           fix: look',
      '::endgroup::',
      '00:02.3  ⏭ Verify the app: compose failed',
    ]);
  });
});
