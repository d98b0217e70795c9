// The floor for `provision`: nothing but the SDK client of its first request, sending that request.
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';

await new CloudWatchClient({ region: 'ap-northeast-2' })
  .send(new DescribeAlarmsCommand({ AlarmNames: ['domtory-recovery-web-cpu'] }))
  .catch(() => undefined);
