import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runLoad } from './load-runner.ts';

describe('load runner', () => {
  it('open model: starts requests on schedule even while earlier ones are unanswered', async () => {
    const intended: number[] = [];
    let concurrent = 0;
    let peak = 0;
    const outcome = await runLoad(
      { shape: { kind: 'rate', ratePerSecond: 200, rampMs: 0 }, durationMs: 250, maxInFlight: 1000 },
      async (_index, intendedAt) => {
        intended.push(intendedAt);
        concurrent++;
        peak = Math.max(peak, concurrent);
        await sleep(100); // a server far slower than the arrival rate
        concurrent--;
      },
    );
    expect(outcome.sent).toBe(50);
    expect(outcome.skipped).toBe(0);
    // A closed loop would have kept one request in flight; the open model piles them up.
    expect(peak).toBeGreaterThan(10);
    const gaps = intended.slice(1).map((time, i) => time - (intended[i] ?? 0));
    for (const gap of gaps) expect(gap).toBeCloseTo(5, 5);
  });

  it('open model: skips and counts arrivals beyond the in-flight cap', async () => {
    const outcome = await runLoad(
      { shape: { kind: 'rate', ratePerSecond: 1000, rampMs: 0 }, durationMs: 100, maxInFlight: 3 },
      () => sleep(150),
    );
    expect(outcome.sent).toBe(3);
    expect(outcome.skipped).toBe(97);
  });

  it('closed model: never has more requests in flight than clients, and stops at the count', async () => {
    let concurrent = 0;
    let peak = 0;
    const outcome = await runLoad(
      { shape: { kind: 'concurrency', clients: 4 }, durationMs: 10_000, maxCount: 40, maxInFlight: 1 },
      async () => {
        concurrent++;
        peak = Math.max(peak, concurrent);
        await sleep(1);
        concurrent--;
      },
    );
    expect(outcome.sent).toBe(40);
    expect(peak).toBe(4);
  });

  it('stops at the duration however fast the server answers', async () => {
    const outcome = await runLoad({ shape: { kind: 'concurrency', clients: 2 }, durationMs: 60, maxInFlight: 1 }, () =>
      sleep(0),
    );
    expect(outcome.elapsedMs).toBeLessThan(1000);
    expect(outcome.sent).toBeGreaterThan(0);
  });
});
