// What Node itself needs to put a request on the wire: no SDK, no signing. The reference the peer figure is
// quoted against ("first connection about 50 ms after Node itself could").
import { request } from 'node:http';

const endpoint = process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:9';
await new Promise<void>((resolve) => {
  const sent = request(endpoint, { method: 'POST' }, (response) => {
    response.resume();
    response.on('end', resolve);
  });
  sent.on('error', () => resolve());
  sent.end('Action=DescribeInstances');
});
