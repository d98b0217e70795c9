import type { KnownBlock } from '@slack/types';
import type { Evidence, MetricDatapoint, RecoveryResult } from '../../shared/index.js';
import {
  codeBlock,
  context,
  describeOwner,
  escapeText,
  formatElapsed,
  section,
  slackDate,
  truncate,
} from '../slack/format.js';
import type { SlackMessage } from './progress-view.js';

/**
 * The thread under a progress message: what the instance looked like before the restart, what the compose
 * command printed, and for a failure why and what to do. The checklist stays short; the thread holds the detail.
 */
export function renderDetails(result: RecoveryResult): SlackMessage[] {
  const messages: SlackMessage[] = [];
  if (result.evidence !== undefined) messages.push(evidenceMessage(result.evidence));
  if (result.compose !== undefined) {
    const { compose } = result;
    const blocks: KnownBlock[] = [
      section(
        `*docker compose up -d* · ${escapeText(compose.status)} · exit ${compose.exitCode ?? 'unknown'} · command \`${escapeText(compose.commandId)}\``,
      ),
    ];
    if (compose.stdoutTail.trim() !== '')
      blocks.push(section(`stdout (tail)\n${codeBlock(compose.stdoutTail)}`));
    if (compose.stderrTail.trim() !== '')
      blocks.push(section(`stderr (tail)\n${codeBlock(compose.stderrTail)}`));
    messages.push({ text: `docker compose up -d: exit ${compose.exitCode ?? 'unknown'}`, blocks });
  }
  if (result.services !== undefined && result.services.length > 0) {
    const lines = result.services.map(
      (s) =>
        `${s.state === 'running' && (s.health === '' || s.health === 'healthy') ? '✅' : '❌'} ${escapeText(s.service)}: ${escapeText(s.state)}${s.health === '' ? '' : ` (${escapeText(s.health)})`}`,
    );
    messages.push({
      text: 'Services after the recovery',
      blocks: [section(`*Services*\n${truncate(lines.join('\n'), 2_800)}`)],
    });
  }
  if ((result.outcome === 'failed' || result.outcome === 'refused') && result.error !== undefined) {
    const lines = [
      `*${result.outcome === 'failed' ? 'Why it failed' : 'Why it was refused'}:* ${escapeText(result.error.message)}`,
    ];
    if (result.lockHolder !== undefined) {
      lines.push(
        `*Running recovery:* started by ${describeOwner(result.lockHolder.owner)} at ${slackDate(Date.parse(result.lockHolder.acquiredAt))}; its lock expires at ${slackDate(Date.parse(result.lockHolder.expiresAt))} at the latest.`,
      );
    }
    if (result.error.fix !== undefined) lines.push(`*What to do:* ${escapeText(result.error.fix)}`);
    lines.push(`_code: ${result.error.code}_`);
    messages.push({
      text: `${result.outcome}: ${result.error.message}`,
      blocks: [section(truncate(lines.join('\n'), 2_900))],
    });
  }
  return messages;
}

function evidenceMessage(evidence: Evidence): SlackMessage {
  const facts: string[] = [];
  if (evidence.bootId !== undefined) facts.push(`boot \`${evidence.bootId}\``);
  if (evidence.uptimeSeconds !== undefined) facts.push(`up ${formatElapsed(evidence.uptimeSeconds * 1000)}`);
  const cpu = lastValue(evidence.cpuUtilization);
  if (cpu !== undefined)
    facts.push(`CPU ${cpu.toFixed(1)}% (latest of ${evidence.cpuUtilization?.length ?? 0})`);
  const credits = lastValue(evidence.cpuCreditBalance);
  if (credits !== undefined) facts.push(`CPU credits ${credits.toFixed(1)}`);
  const blocks: KnownBlock[] = [
    section(`*Evidence before the restart*${facts.length > 0 ? `\n${facts.join(' · ')}` : ''}`),
  ];
  if (evidence.creditsExhausted === true) {
    blocks.push(
      section(
        '⚠️ *CPU credits are exhausted*: the instance runs at its baseline (10% on a t2.micro), and a reboot does not bring credits back. A stop/start resets T2 credits; T2/T3 Unlimited or a larger type fixes it for good.',
      ),
    );
  }
  const sections: Array<[string, string | undefined]> = [
    ['Top processes', evidence.topProcesses],
    ['docker stats', evidence.dockerStats],
    ['Memory', evidence.memory],
    ['OOM killer', evidence.oomKills],
  ];
  for (const [title, body] of sections) {
    if (body !== undefined && body.trim() !== '') blocks.push(section(`${title}\n${codeBlock(body, 1_800)}`));
  }
  if (evidence.notes.length > 0) blocks.push(context(evidence.notes.map(escapeText).join(' · ')));
  return { text: 'Evidence before the restart', blocks: blocks.slice(0, 50) };
}

function lastValue(points: MetricDatapoint[] | undefined): number | undefined {
  return points?.at(-1)?.value;
}

export function warningMessage(message: string): SlackMessage {
  return { text: `Warning: ${message}`, blocks: [section(`⚠️ ${escapeText(message)}`)] };
}
