import { PerformanceObserver } from 'node:perf_hooks';

/**
 * What a benchmarked server reports to the benchmark over IPC: its RSS (read here rather than from /proc, so the
 * benchmark also runs where /proc does not exist), its CPU time so far, and the garbage-collection pauses since
 * the last ask, since on loopback a p99 is often one pause rather than the code under test.
 */
export function answerBenchProbes(): void {
  let pauses: number[] = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push(entry.duration);
  }).observe({ entryTypes: ['gc'] });
  process.on('message', (message: { rss?: boolean; gc?: boolean; cpu?: boolean }) => {
    if (message.rss === true) process.send?.({ rss: process.memoryUsage().rss });
    if (message.cpu === true) {
      const { user, system } = process.cpuUsage();
      process.send?.({ cpu: user + system });
    }
    if (message.gc === true) {
      process.send?.({ gc: pauses });
      pauses = [];
    }
  });
}
