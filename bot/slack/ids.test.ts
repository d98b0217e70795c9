import { describe, expect, it } from 'vitest';
import { decodeValue, encodeValue } from './ids.js';

describe('button values', () => {
  it('carry the target, the alarm and whether several alarms were gathered, and read back the same', () => {
    for (const value of [
      { target: 'web' },
      { target: 'web', alarm: 'cpu-high' },
      { target: 'web', alarm: 'cpu-high', gathered: true },
    ]) {
      expect(decodeValue(encodeValue(value))).toEqual(value);
    }
  });

  it('read a value from before gathering was marked, and treat an empty alarm name as none', () => {
    expect(decodeValue('{"t":"web","a":"cpu-high"}')).toEqual({ target: 'web', alarm: 'cpu-high' });
    expect(decodeValue('{"t":"web","a":""}')).toEqual({ target: 'web' });
    expect(decodeValue('{"t":"web","g":true}')).toEqual({ target: 'web' });
    expect(decodeValue('{"a":"cpu-high"}')).toBeUndefined();
    expect(decodeValue('not json')).toBeUndefined();
  });
});
