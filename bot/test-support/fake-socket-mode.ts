import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * Just enough of Slack's Socket Mode server for a test: a WebSocket endpoint (RFC 6455 handshake and text, ping
 * and close frames, written out here since Node has a WebSocket client but no server) that greets with `hello`,
 * delivers envelopes the test hands it, and collects the bot's acknowledgements.
 */

export interface FakeSocketMode {
  url: string;
  /** Resolves when the bot is connected (it has received `hello`). */
  connected: Promise<void>;
  acks: Array<{ envelope_id: string; payload?: Record<string, unknown> }>;
  /** WebSockets a client has open now (a bot that stopped has closed its own). */
  readonly openConnections: number;
  deliver(envelope: Record<string, unknown>): void;
  waitForAck(
    envelopeId: string,
    timeoutMs?: number,
  ): Promise<{ envelope_id: string; payload?: Record<string, unknown> }>;
  close(): Promise<void>;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x80 | opcode, length])
      : length < 65_536
        ? Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigEndian64(length)]);
  return Buffer.concat([header, payload]);
}

function bigEndian64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const acks: FakeSocketMode['acks'] = [];
  let socket: Duplex | undefined;
  let openConnections = 0;
  let onConnected: () => void = () => {};
  const connected = new Promise<void>((resolve) => {
    onConnected = resolve;
  });

  const server: Server = createServer((_req, res) => {
    res.writeHead(426);
    res.end();
  });
  server.on('upgrade', (req, sock: Duplex) => {
    const key = String(req.headers['sec-websocket-key'] ?? '');
    const accept = createHash('sha1')
      .update(key + GUID)
      .digest('base64');
    sock.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    socket = sock;
    openConnections++;
    sock.once('close', () => openConnections--);
    let buffered = Buffer.alloc(0);
    sock.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        if (buffered.length < 2) return;
        const opcode = (buffered[0] ?? 0) & 0x0f;
        let length = (buffered[1] ?? 0) & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffered.length < 4) return;
          length = buffered.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (buffered.length < 10) return;
          length = Number(buffered.readBigUInt64BE(2));
          offset = 10;
        }
        // Frames from a client are always masked.
        if (buffered.length < offset + 4 + length) return;
        const mask = buffered.subarray(offset, offset + 4);
        const payload = Buffer.from(buffered.subarray(offset + 4, offset + 4 + length));
        for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
        buffered = buffered.subarray(offset + 4 + length);
        if (opcode === 0x1) acks.push(JSON.parse(payload.toString('utf8')) as FakeSocketMode['acks'][number]);
        else if (opcode === 0x9) sock.write(frame(0xa, payload));
        else if (opcode === 0x8) {
          sock.end(frame(0x8, Buffer.alloc(0)));
          return;
        }
      }
    });
    sock.on('error', () => {});
    sock.write(
      frame(
        0x1,
        Buffer.from(
          JSON.stringify({
            type: 'hello',
            num_connections: 1,
            connection_info: { app_id: 'A0TEST' },
            debug_info: { host: 'fake' },
          }),
        ),
      ),
    );
    onConnected();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `ws://127.0.0.1:${port}/link`,
    connected,
    acks,
    get openConnections() {
      return openConnections;
    },
    deliver(envelope) {
      socket?.write(frame(0x1, Buffer.from(JSON.stringify(envelope))));
    },
    async waitForAck(envelopeId, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const ack = acks.find((a) => a.envelope_id === envelopeId);
        if (ack !== undefined) return ack;
        if (Date.now() > deadline) throw new Error(`no ack for ${envelopeId}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        socket?.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
