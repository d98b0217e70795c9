/** Shared by the benchmark's processes: the bot's config and the Slack signing secret. */
export const BENCH_SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';
export const BENCH_TOPIC_ARN = 'arn:aws:sns:ap-northeast-2:123456789012:domtory-alarms';
export const BENCH_INSTANCES = { web: 'i-0aaaaaaaaaaaaaaa1', docs: 'i-0ccccccccccccccc3' } as const;

export const BENCH_CONFIG = `
region: ap-northeast-2
targets:
  web:
    instanceId: ${BENCH_INSTANCES.web}
    compose: { directory: /srv/web }
    policy: auto
  docs:
    instanceId: ${BENCH_INSTANCES.docs}
    compose: { directory: /srv/docs }
    policy: notify
slack:
  channel: C0OPS
  allowedUsers: [U0ALLOWED]
sns:
  topicArns: [${BENCH_TOPIC_ARN}]
`;
