// The floor for `restart`: nothing but the SDK client of its first request, sending that request.
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';

await new EC2Client({ region: 'ap-northeast-2' })
  .send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] }))
  .catch(() => undefined);
