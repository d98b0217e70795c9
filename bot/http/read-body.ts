import type { IncomingMessage } from 'node:http';

export type BodyRead = { ok: true; text: string } | { ok: false; status: 413 | 400; reason: string };

/**
 * Reads a request body as UTF-8 text up to `limit` bytes. An announced or actual size over the limit is refused
 * without buffering the rest; the caller answers and closes the connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const announced = Number(req.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(announced) && announced > limit) {
    req.resume();
    return Promise.resolve({ ok: false, status: 413, reason: 'body-too-large' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyRead) => {
      if (done) return;
      done = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        finish({ ok: false, status: 413, reason: 'body-too-large' });
        // Keep draining (and discarding) so the 413 can still be written on this connection.
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish({ ok: true, text: Buffer.concat(chunks, size).toString('utf8') }));
    req.on('error', () => finish({ ok: false, status: 400, reason: 'body-unreadable' }));
    req.on('aborted', () => finish({ ok: false, status: 400, reason: 'body-aborted' }));
  });
}
