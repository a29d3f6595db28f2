import { build, type Histogram } from 'hdr-histogram-js';

/**
 * Latencies of one kind of request, kept in an HDR histogram (microsecond resolution, 3
 * significant digits) so percentiles are exact enough at any rate without keeping every
 * sample, plus the per-second timeline the report draws.
 */
const newHistogram = (): Histogram =>
  build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

/** Milliseconds with microsecond precision, as the report prints them. */
const ms = (microseconds: number): number => Math.round(microseconds) / 1000;

export const summarize = (histogram: Histogram): LatencySummary => {
  if (histogram.totalCount === 0) return { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
  return {
    count: histogram.totalCount,
    p50: ms(histogram.getValueAtPercentile(50)),
    p90: ms(histogram.getValueAtPercentile(90)),
    p99: ms(histogram.getValueAtPercentile(99)),
    p999: ms(histogram.getValueAtPercentile(99.9)),
    max: ms(histogram.maxValue),
    mean: ms(histogram.mean),
  };
};

export interface TimelinePoint {
  /** Seconds since the run started. */
  readonly second: number;
  readonly ok: number;
  readonly errors: number;
  readonly p50: number;
  readonly p99: number;
}

export class LatencyRecorder {
  private readonly total = newHistogram();
  private interval = newHistogram();
  private intervalErrors = 0;
  private readonly errorsByStatus = new Map<string, number>();
  private ok = 0;
  readonly timeline: TimelinePoint[] = [];

  /** A request that got the answer it wanted. */
  recordSuccess(latencyMs: number): void {
    const microseconds = Math.max(1, Math.round(latencyMs * 1000));
    this.total.recordValue(microseconds);
    this.interval.recordValue(microseconds);
    this.ok++;
  }

  /** A request that failed: `status` is the HTTP status, or a word such as `timeout`. */
  recordError(status: string): void {
    this.errorsByStatus.set(status, (this.errorsByStatus.get(status) ?? 0) + 1);
    this.intervalErrors++;
  }

  /** Closes the current one-second interval. */
  tick(second: number): TimelinePoint {
    const summary = summarize(this.interval);
    const point = { second, ok: summary.count, errors: this.intervalErrors, p50: summary.p50, p99: summary.p99 };
    this.timeline.push(point);
    this.interval = newHistogram();
    this.intervalErrors = 0;
    return point;
  }

  get succeeded(): number {
    return this.ok;
  }

  get failed(): number {
    let sum = 0;
    for (const count of this.errorsByStatus.values()) sum += count;
    return sum;
  }

  errors(): Record<string, number> {
    return Object.fromEntries([...this.errorsByStatus].sort(([a], [b]) => a.localeCompare(b)));
  }

  summary(): LatencySummary {
    return summarize(this.total);
  }
}
