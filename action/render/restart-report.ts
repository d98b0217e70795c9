import type { RecoveryResult, StepStatus } from '../../shared/recovery/events.js';
import { STEP_TITLES } from '../../shared/recovery/events.js';
import type { RunContext } from '../inputs.js';
import { type CommandReport, withFix } from '../report.js';
import { alert, codeBlock, details, escapeHtml, seconds, table } from './markdown.js';

/** The `restart` command's outputs, summary and verdict, from the core's result alone. */
export function restartReport(result: RecoveryResult, context: RunContext, region: string): CommandReport {
  const ok = result.outcome === 'recovered' || result.outcome === 'rehearsed';
  const report: CommandReport = {
    ok,
    outputs: restartOutputs(result),
    summary: restartSummary(result, context, region),
  };
  if (!ok) report.failure = failureLine(result);
  return report;
}

function failureLine(result: RecoveryResult): string {
  const verb = result.outcome === 'refused' ? 'refused' : 'failed';
  const reason = result.error?.message ?? 'no reason recorded';
  return `Recovery of ${result.target} ${verb}: ${withFix(reason, result.error?.fix, '\n')}`;
}

export function restartOutputs(result: RecoveryResult): Record<string, string> {
  const outputs: Record<string, string> = {
    outcome: result.outcome,
    target: result.target,
    'instance-id': result.instanceId,
    'duration-seconds': (result.durationMs / 1000).toFixed(1),
    steps: JSON.stringify(
      result.steps.map((step) => ({
        step: step.step,
        status: step.status,
        durationMs: step.durationMs,
        ...(step.detail === undefined ? {} : { detail: step.detail }),
      })),
    ),
    // The compose command is the one worth opening in Run Command; without one, the last command sent.
    'command-id': result.compose?.commandId ?? result.commandIds.at(-1) ?? '',
    'command-ids': JSON.stringify(result.commandIds),
    'new-boot': String(result.newBootSeen),
    escalated: String(result.escalated),
    'boot-id-before': result.bootIdBefore ?? '',
    'boot-id-after': result.bootIdAfter ?? '',
    'error-code': result.error?.code ?? '',
    error: result.error?.message ?? '',
  };
  if (result.lockHolder !== undefined) outputs['lock-holder'] = JSON.stringify(result.lockHolder);
  return outputs;
}

const STATUS_ICON: Record<StepStatus, string> = { succeeded: '✅', failed: '❌', skipped: '⏭️' };

function headline(result: RecoveryResult): string {
  const took = seconds(result.durationMs);
  switch (result.outcome) {
    case 'recovered':
      return `✅ Recovered ${result.target} in ${took}`;
    case 'rehearsed':
      return `🧪 Rehearsed the recovery of ${result.target} (dry run, ${took}): nothing was changed`;
    case 'refused':
      return `⛔ Recovery of ${result.target} refused`;
    case 'failed':
      return `❌ Recovery of ${result.target} failed after ${took}`;
  }
}

export function restartSummary(result: RecoveryResult, context: RunContext, region: string): string {
  const parts: string[] = [`## ${escapeHtml(headline(result))}`];
  if (result.error !== undefined) {
    parts.push(
      alert('CAUTION', [
        `**${result.error.code}**: ${result.error.message}`,
        ...(result.error.fix === undefined ? [] : [`Fix: ${result.error.fix}`]),
      ]),
    );
  }
  const boot =
    result.bootIdBefore === undefined && result.bootIdAfter === undefined
      ? result.newBootSeen
        ? 'new boot seen'
        : 'no boot ids'
      : `\`${(result.bootIdBefore ?? 'unknown').slice(0, 8)}\` → \`${(result.bootIdAfter ?? 'none').slice(0, 8)}\`${result.newBootSeen ? ' (new boot seen)' : ' (no new boot seen)'}`;
  const asked =
    context.runUrl === undefined
      ? context.trigger.actor
      : `${context.trigger.actor} ([run](${context.runUrl}))`;
  parts.push(
    [
      `- **Instance**: \`${result.instanceId}\` in ${region}`,
      `- **Asked by**: ${escapeHtml(asked)}`,
      `- **Boot**: ${boot}`,
      `- **Escalated to stop/start**: ${result.escalated ? 'yes' : 'no'}`,
      `- **SSM commands**: ${result.commandIds.length === 0 ? 'none' : result.commandIds.map((id) => `\`${id}\``).join(', ')}`,
      ...(result.lockHolder === undefined
        ? []
        : [
            `- **Lock held by**: ${escapeHtml(result.lockHolder.owner)} since ${result.lockHolder.acquiredAt} (expires ${result.lockHolder.expiresAt})`,
          ]),
    ].join('\n'),
  );

  parts.push(
    '### Steps',
    table(
      ['Step', 'Result', 'Duration', 'Detail'],
      result.steps.map((step) => [
        STEP_TITLES[step.step],
        `${STATUS_ICON[step.status]} ${step.status}`,
        step.status === 'skipped' ? '' : seconds(step.durationMs),
        step.detail ?? '',
      ]),
    ),
  );

  if (result.services !== undefined && result.services.length > 0) {
    parts.push(
      '### Services',
      table(
        ['Service', 'State', 'Health'],
        result.services.map((service) => [service.service, service.state, service.health || '—']),
      ),
    );
  }
  if (result.warnings.length > 0) parts.push(alert('WARNING', result.warnings));

  const evidence = evidenceMarkdown(result);
  if (evidence !== '') parts.push(details('Evidence collected before the restart', evidence));
  if (result.compose !== undefined) {
    const { compose } = result;
    const output = [
      compose.stdoutTail && `stdout:\n${compose.stdoutTail}`,
      compose.stderrTail && `stderr:\n${compose.stderrTail}`,
    ]
      .filter((text) => text !== '')
      .join('\n\n');
    parts.push(
      details(
        `compose up: ${compose.status}, exit ${compose.exitCode ?? '?'} (command ${compose.commandId})`,
        codeBlock(output || '(no output)'),
      ),
    );
  }
  return `${parts.join('\n\n')}\n`;
}

function evidenceMarkdown(result: RecoveryResult): string {
  const evidence = result.evidence;
  if (evidence === undefined) return '';
  const lines: string[] = [];
  if (evidence.bootId !== undefined) lines.push(`- Boot id \`${evidence.bootId}\``);
  if (evidence.uptimeSeconds !== undefined) lines.push(`- Up for ${seconds(evidence.uptimeSeconds * 1000)}`);
  const cpu = evidence.cpuUtilization ?? [];
  if (cpu.length > 0) {
    lines.push(
      `- CPUUtilization (5-minute maximum, last 30 min): ${cpu.map((point) => `${point.value.toFixed(1)}%`).join(', ')}`,
    );
  }
  const credits = evidence.cpuCreditBalance ?? [];
  if (credits.length > 0) {
    lines.push(
      `- CPUCreditBalance (minimum): ${credits.map((point) => point.value.toFixed(1)).join(', ')}${evidence.creditsExhausted === true ? ' — **exhausted**: the instance runs at its baseline' : ''}`,
    );
  }
  for (const note of evidence.notes) lines.push(`- ${escapeHtml(note)}`);
  const blocks: string[] = [lines.join('\n')];
  const section = (title: string, text: string | undefined) => {
    if (text !== undefined && text.trim() !== '') blocks.push(`**${title}**\n\n${codeBlock(text)}`);
  };
  section('Top processes', evidence.topProcesses);
  section('docker stats', evidence.dockerStats);
  section('Memory (MB)', evidence.memory);
  section('OOM killer', evidence.oomKills);
  return blocks.filter((block) => block !== '').join('\n\n');
}
