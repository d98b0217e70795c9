import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for an AWS endpoint on 127.0.0.1, for tests that must go through the real SDK stack (endpoint
 * resolution, signing, retries, error parsing), which aws-sdk-client-mock bypasses.
 */

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface CannedResponse {
  status: number;
  contentType: string;
  body: string;
}

/** `'hang'` never answers, to exercise client-side timeouts. */
export type Responder = (request: RecordedRequest, index: number) => CannedResponse | 'hang';

export interface LocalAwsServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startLocalAwsServer(respond: Responder): Promise<LocalAwsServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded: RecordedRequest = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const answer = respond(recorded, requests.length - 1);
      if (answer === 'hang') return;
      response.writeHead(answer.status, { 'content-type': answer.contentType });
      response.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function ssmJson(status: number, body: unknown): CannedResponse {
  return { status, contentType: 'application/x-amz-json-1.1', body: JSON.stringify(body) };
}

export function ec2Xml(status: number, body: string): CannedResponse {
  return { status, contentType: 'text/xml;charset=UTF-8', body };
}

export function ec2ErrorXml(status: number, code: string, message: string): CannedResponse {
  return ec2Xml(
    status,
    `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>req-1</RequestID></Response>`,
  );
}
