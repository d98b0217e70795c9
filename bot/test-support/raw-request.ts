import { connect } from 'node:net';

/**
 * Sends a GET written by hand to a loopback server and resolves with the answer's status line: for request targets
 * that fetch would not send as they are (absolute-form, unparsable).
 */
export function rawGetStatusLine(baseUrl: string, target: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const socket = connect(Number(new URL(baseUrl).port), '127.0.0.1', () => {
      socket.end(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    });
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
    });
    socket.on('end', () => resolve(answer.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}
