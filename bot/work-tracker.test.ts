import { describe, expect, it } from 'vitest';
import { WorkTracker } from './work-tracker.js';

/** A clock that moves one unit per reading, so a slice budget is a number of jobs, not of milliseconds. */
const steppingClock = () => {
  let t = 0;
  return () => t++;
};

/** Ends after the first slice: timers of one duration fire in the order they were set. */
const turn = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe('WorkTracker', () => {
  it('starts nothing while the caller is still answering, then jobs in FIFO order', async () => {
    const work = new WorkTracker();
    const order: number[] = [];
    for (let i = 0; i < 5; i++) {
      work.schedule('job', async () => {
        order.push(i);
      });
    }
    expect(order).toEqual([]);
    expect(work.pending).toBe(5);
    await work.idle();
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(work.pending).toBe(0);
  });

  it('starts the first slice from a timer, after what the loop was about to do without sleeping', async () => {
    const work = new WorkTracker();
    const events: string[] = [];
    work.schedule('job', async () => {
      events.push('job');
    });
    // Queued after the job, and still first: the job waits for the loop to pass its check phase.
    setImmediate(() => events.push('immediate'));
    await work.idle();
    expect(events).toEqual(['immediate', 'job']);
  });

  it('starts a slice of jobs per turn, so other callbacks get in between two slices', async () => {
    // Readings 0 (slice start), 1 after the first job, 2 after the second: a budget of 1.5 allows two per slice.
    const work = new WorkTracker({ sliceBudgetMs: 1.5, now: steppingClock() });
    const events: string[] = [];
    for (let i = 0; i < 5; i++) {
      work.schedule('job', async () => {
        events.push(`job ${i}`);
        // Something else arriving meanwhile, as a new request would: it runs before the next slice.
        if (i === 0) setImmediate(() => events.push('other'));
      });
    }
    await work.idle();
    expect(events).toEqual(['job 0', 'job 1', 'other', 'job 2', 'job 3', 'job 4']);
  });

  it('starts at least one job per slice, however long the job took', async () => {
    const work = new WorkTracker({ sliceBudgetMs: 0, now: steppingClock() });
    const events: string[] = [];
    work.schedule('a', async () => {
      events.push('a');
      setImmediate(() => events.push('other'));
    });
    work.schedule('b', async () => {
      events.push('b');
    });
    await work.idle();
    expect(events).toEqual(['a', 'other', 'b']);
  });

  it('counts a job as pending until its promise settles, and idle() waits for it', async () => {
    const work = new WorkTracker();
    let release: () => void = () => {};
    work.schedule('slow', () => new Promise<void>((resolve) => (release = resolve)));
    await turn();
    expect(work.queued).toBe(0);
    expect(work.pending).toBe(1);
    let idle = false;
    const waiting = work.idle().then(() => {
      idle = true;
    });
    await turn();
    expect(idle).toBe(false);
    release();
    await waiting;
    expect(work.pending).toBe(0);
  });

  it('refuses new requests at the bound, counts refusals, and admits again once the backlog shrinks', async () => {
    const work = new WorkTracker({ maxPending: 2 });
    expect(work.admit()).toBe(true);
    work.schedule('one', async () => {});
    expect(work.admit()).toBe(true);
    work.schedule('two', async () => {});
    expect(work.admit()).toBe(false);
    expect(work.admit()).toBe(false);
    expect(work.refused).toBe(2);
    // Admitted work is never dropped, even past the bound (requests admitted before it filled up).
    work.schedule('three', async () => {});
    expect(work.pending).toBe(3);
    await work.idle();
    expect(work.admit()).toBe(true);
    expect(work.refused).toBe(2);
  });

  it('reports a failing job and goes on with the next', async () => {
    const failures: string[] = [];
    const work = new WorkTracker({ onError: (error, name) => failures.push(`${name}: ${String(error)}`) });
    const done: string[] = [];
    work.schedule('throws', () => {
      throw new Error('sync');
    });
    work.schedule('rejects', () => Promise.reject(new Error('async')));
    work.schedule('fine', async () => {
      done.push('fine');
    });
    await work.idle();
    expect(failures).toEqual(['throws: Error: sync', 'rejects: Error: async']);
    expect(done).toEqual(['fine']);
    expect(work.pending).toBe(0);
  });

  it('counts run() work alongside queued work', async () => {
    const work = new WorkTracker();
    let release: () => void = () => {};
    const running = work.run(() => new Promise<string>((resolve) => (release = () => resolve('done'))));
    work.schedule('queued', async () => {});
    expect(work.pending).toBe(2);
    await turn();
    expect(work.pending).toBe(1);
    release();
    expect(await running).toBe('done');
    await work.idle();
    expect(work.pending).toBe(0);
  });
});
