import { afterEach, describe, expect, it } from 'vitest';
import { bootProbeScript, type NewBootRule } from '../../shared/recovery/remote-scripts.js';
import { DEFAULT_INSTANCE_ID, type FakeAws, startFakeAws } from './fake-aws.js';

/**
 * The fake's boot probe must start compose exactly when a real host's shell would: the dist tests only ever send
 * the boot-id rule, so the started-after rule (a restart without the boot id from before) is checked here.
 */

let fake: FakeAws | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function ssm(aws: FakeAws, action: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(aws.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonSSM.${action}` },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
}

async function probe(aws: FakeAws, rule: NewBootRule): Promise<string> {
  const commands = bootProbeScript({
    runId: 'run-1',
    rule,
    compose: { command: 'auto', directory: '/srv/app' },
  });
  const sent = await ssm(aws, 'SendCommand', {
    InstanceIds: [DEFAULT_INSTANCE_ID],
    DocumentName: 'AWS-RunShellScript',
    Parameters: { commands },
  });
  const { CommandId } = sent.Command as { CommandId: string };
  const invocation = await ssm(aws, 'GetCommandInvocation', {
    CommandId,
    InstanceId: DEFAULT_INSTANCE_ID,
  });
  return String(invocation.StandardOutputContent);
}

describe('fake AWS boot probe', () => {
  it('starts compose on a boot that started after the restart, once, and not on an older one', async () => {
    const aws = await startFakeAws();
    fake = aws;
    const bootStartedSeconds = Math.floor(
      (aws.instances.get(DEFAULT_INSTANCE_ID)?.bootStartedAt ?? 0) / 1000,
    );
    expect(await probe(aws, { startedAfterEpochSeconds: bootStartedSeconds + 60 })).not.toContain('compose=');
    expect(await probe(aws, { startedAfterEpochSeconds: bootStartedSeconds - 60 })).toContain(
      'compose=started\n',
    );
    expect(await probe(aws, { startedAfterEpochSeconds: bootStartedSeconds - 60 })).toContain(
      'compose=already-started\n',
    );
  });

  it('starts compose on a boot other than the one named, not on that one', async () => {
    const aws = await startFakeAws();
    fake = aws;
    const current = aws.instances.get(DEFAULT_INSTANCE_ID)?.bootIds.at(-1) ?? '';
    expect(await probe(aws, { bootIdOtherThan: current })).not.toContain('compose=');
    expect(await probe(aws, { bootIdOtherThan: '00000000-0000-0000-0000-000000000000' })).toContain(
      'compose=started\n',
    );
  });
});
