import { describe, expect, it } from 'vitest';
import { Fifo } from './fifo.js';

describe('Fifo', () => {
  it('gives items back in the order they came, across its compactions', () => {
    const fifo = new Fifo<number>();
    const out: number[] = [];
    let next = 0;
    // Pushes two for every one taken, so the dead front passes the compaction threshold many times over.
    for (let round = 0; round < 5_000; round++) {
      fifo.push(next++);
      fifo.push(next++);
      out.push(fifo.shift() as number);
    }
    expect(fifo.size).toBe(5_000);
    expect(fifo.peek()).toBe(5_000);
    while (fifo.size > 0) out.push(fifo.shift() as number);
    expect(out).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
    expect(fifo.shift()).toBeUndefined();
    expect(fifo.peek()).toBeUndefined();
    fifo.push(42);
    expect([fifo.size, fifo.shift(), fifo.size]).toEqual([1, 42, 0]);
  });
});
