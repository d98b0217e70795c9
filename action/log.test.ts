import { describe, expect, it } from 'vitest';
import { DeferredLog, memoryLog } from './log.js';

describe('DeferredLog', () => {
  it('holds lines until the real log is attached, then replays them in order and forwards the rest', () => {
    const log = new DeferredLog();
    log.info('first');
    log.startGroup('Preflight');
    log.warning('careful');
    log.endGroup();
    const sink = memoryLog();
    expect(sink.lines).toEqual([]);
    log.attach(sink);
    log.info('after');
    expect(sink.lines).toEqual(['first', '::group::Preflight', 'warning: careful', '::endgroup::', 'after']);
  });
});
