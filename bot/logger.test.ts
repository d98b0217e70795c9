import { describe, expect, it } from 'vitest';
import { batchedStdoutSink, createLogger } from './logger.js';

function capture(level?: 'debug' | 'info' | 'warn' | 'error') {
  const lines: string[] = [];
  const logger = createLogger({
    sink: (line) => lines.push(line),
    now: () => Date.parse('2026-11-25T15:00:00Z'),
    ...(level === undefined ? {} : { level }),
  });
  return { logger, lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('the JSON logger', () => {
  it('writes one JSON object per record, with the child fields and the record fields', () => {
    const { logger, lines, records } = capture();
    const child = logger.child({ messageId: 'm-1', target: 'web' }).child({ alarm: 'cpu-high' });
    child.info('alarm.routed', { policy: 'auto', target: 'api' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    expect(records()[0]).toEqual({
      ts: '2026-11-25T15:00:00.000Z',
      level: 'info',
      event: 'alarm.routed',
      messageId: 'm-1',
      // The record's own field wins over the child's.
      target: 'api',
      alarm: 'cpu-high',
      policy: 'auto',
    });
  });

  it('shows an error as its name, message and code', () => {
    const { logger, records } = capture();
    const error = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      code: 'Throttling',
    });
    logger.error('recovery.failed', { error, attempt: 2 });
    logger.warn('plain', { error: new TypeError('bad') });
    expect(records()).toEqual([
      expect.objectContaining({
        error: { name: 'ThrottlingException', message: 'Rate exceeded', code: 'Throttling' },
        attempt: 2,
      }),
      expect.objectContaining({ error: { name: 'TypeError', message: 'bad' } }),
    ]);
  });

  it('keeps a record whose fields cannot be serialised, and drops records below its level', () => {
    const { logger, records } = capture('info');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    logger.debug('noise');
    logger.info('odd', { circular });
    logger.warn('big', { n: 10n as unknown as number });
    expect(records()).toEqual([
      expect.objectContaining({ event: 'odd', note: 'fields were not serialisable' }),
      expect.objectContaining({ event: 'big', note: 'fields were not serialisable' }),
    ]);
  });

  it('a sink that throws does not throw into the caller', () => {
    const logger = createLogger({
      sink: () => {
        throw new Error('EPIPE');
      },
    });
    expect(() => logger.error('x')).not.toThrow();
  });
});

describe('the batched stdout sink', () => {
  it('writes the lines of one event-loop turn in one write', async () => {
    const writes: string[] = [];
    const sink = batchedStdoutSink((text) => writes.push(text));
    sink('{"a":1}');
    sink('{"b":2}');
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(['{"a":1}\n{"b":2}\n']);
  });
});
