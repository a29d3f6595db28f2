import { describe, expect, it } from 'vitest';
import { LatencyRecorder } from './latency-recorder.ts';

describe('latency recorder', () => {
  it('reports percentiles of the recorded latencies within HDR precision', () => {
    const recorder = new LatencyRecorder();
    for (let value = 1; value <= 1000; value++) recorder.recordSuccess(value);
    const summary = recorder.summary();
    expect(summary.count).toBe(1000);
    expect(summary.p50).toBeCloseTo(500, -1);
    expect(summary.p99).toBeCloseTo(990, -1);
    expect(summary.max).toBeCloseTo(1000, -1);
    expect(summary.mean).toBeCloseTo(500.5, 0);
  });

  it('keeps sub-millisecond latencies apart', () => {
    const recorder = new LatencyRecorder();
    for (let i = 0; i < 99; i++) recorder.recordSuccess(0.2);
    recorder.recordSuccess(0.9);
    expect(recorder.summary().p50).toBeCloseTo(0.2, 2);
    expect(recorder.summary().max).toBeCloseTo(0.9, 2);
  });

  it('counts errors by status apart from successes', () => {
    const recorder = new LatencyRecorder();
    recorder.recordSuccess(3);
    recorder.recordError('429');
    recorder.recordError('429');
    recorder.recordError('timeout');
    expect(recorder.succeeded).toBe(1);
    expect(recorder.failed).toBe(3);
    expect(recorder.errors()).toEqual({ '429': 2, timeout: 1 });
  });

  it('closes one-second intervals into a timeline without losing the totals', () => {
    const recorder = new LatencyRecorder();
    recorder.recordSuccess(10);
    recorder.recordSuccess(20);
    recorder.recordError('503');
    const first = recorder.tick(1);
    recorder.recordSuccess(100);
    const second = recorder.tick(2);
    expect(first).toMatchObject({ second: 1, ok: 2, errors: 1 });
    expect(first.p99).toBeCloseTo(20, 0);
    expect(second).toMatchObject({ second: 2, ok: 1, errors: 0 });
    expect(second.p50).toBeCloseTo(100, 0);
    expect(recorder.summary().count).toBe(3);
  });

  it('summarises an empty recorder as zeros', () => {
    expect(new LatencyRecorder().summary()).toEqual({ count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 });
  });
});
