import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'undici';
import { DoneTracker, followLiveFeed } from './done-tracker.ts';
import { LatencyRecorder, type LatencySummary } from './latency-recorder.ts';
import { type LoadShape, runLoad } from './load-runner.ts';
import { MemelabWorkload } from './memelab-workload.ts';
import { sumSamples } from './metrics-scrape.ts';
import { mixCycle, parseMix } from './request-mix.ts';
import { failureStatus, type SendResult, type Workload } from './stress-workload.ts';

export interface StressOptions {
  readonly target: URL;
  readonly shape: LoadShape;
  readonly durationMs: number;
  readonly maxCount?: number;
  readonly mix?: string;
  readonly timeoutMs: number;
  /** How long to wait after the load for accepted memes to finish rendering. */
  readonly drainMs: number;
  readonly maxInFlight: number;
  readonly connections: number;
  /** Ends the load early (the drain still runs). */
  readonly stopSignal?: AbortSignal;
  /** Called once the workload is prepared, as the load begins (a chaos experiment times its fault from here). */
  readonly onLoadStart?: () => void;
  /** Told of every answer as it arrives (a chaos experiment files them by time). */
  readonly onResult?: (kind: string, result: SendResult, finishedAt: number) => void;
  /** Builds a workload other than memelab's (the healthcare tenant's). */
  readonly workload?: (pool: Pool, timeoutMs: number) => Workload;
}

export interface KindSummary {
  readonly requests: number;
  readonly ok: number;
  readonly errors: Record<string, number>;
  readonly latencyMs: LatencySummary;
}

export interface TimelineSample {
  readonly second: number;
  readonly ok: number;
  readonly errors: number;
  readonly p50: number;
  readonly p99: number;
  readonly done: number;
  readonly queueDepth: number | null;
}

export interface StressSummary {
  readonly target: string;
  readonly workload: string;
  readonly shape: LoadShape;
  readonly mix: string;
  readonly startedAt: string;
  readonly durationS: number;
  readonly requests: number;
  readonly ok: number;
  readonly errors: Record<string, number>;
  readonly errorRatio: number;
  readonly rps: number;
  readonly latencyMs: LatencySummary;
  readonly byKind: Record<string, KindSummary>;
  /** memelab only: accepted memes and how they ended. */
  readonly memes?: {
    readonly accepted: number;
    readonly done: number;
    readonly failed: number;
    readonly lost: number;
    readonly donePerSecond: number;
    readonly acceptToDoneMs: LatencySummary;
  };
  readonly queueDepthMax: number | null;
  readonly timeline: readonly TimelineSample[];
}

/** Progress after each second of the run. */
export type ProgressListener = (sample: TimelineSample, totals: { requests: number; errors: number }) => void;

const scrapeQueueDepth = async (pool: Pool): Promise<number | null> => {
  try {
    const { statusCode, body } = await pool.request({
      method: 'GET',
      path: '/metrics',
      headersTimeout: 2000,
      bodyTimeout: 2000,
    });
    const text = await body.text();
    return statusCode === 200 ? (sumSamples(text, 'memelab_queue_depth') ?? null) : null;
  } catch {
    return null;
  }
};

/** Between live-feed waits during the drain, the API is asked about what is still pending. */
const DRAIN_CHECK_MS = 2000;
const DRAIN_CHECK_BATCH = 200;

/**
 * Waits up to `drainMs` for accepted memes to be done, from the live feed and, every few
 * seconds, from the API itself; a meme that ended `failed` stops being waited for.
 */
const drainAccepted = async (
  tracker: DoneTracker,
  workload: MemelabWorkload,
  drainMs: number,
): Promise<{ failed: number; lost: number }> => {
  const deadline = performance.now() + drainMs;
  const failed = new Set<string>();
  const waiting = () => tracker.pending().filter((id) => !failed.has(id));
  while (waiting().length > 0) {
    const left = deadline - performance.now();
    await tracker.drain(Math.max(0, Math.min(DRAIN_CHECK_MS, left)));
    const result = await workload.checkPending(waiting().slice(0, DRAIN_CHECK_BATCH));
    for (const id of result.failed) failed.add(id);
    if (performance.now() >= deadline) break;
  }
  return { failed: failed.size, lost: waiting().length };
};

export const runStress = async (options: StressOptions, onProgress?: ProgressListener): Promise<StressSummary> => {
  const origin = options.target.origin;
  const pool = new Pool(origin, { connections: options.connections, pipelining: 1 });
  const tracker = new DoneTracker();
  const runTag = randomBytes(4).toString('hex');
  const workload =
    options.workload?.(pool, options.timeoutMs) ?? new MemelabWorkload(pool, tracker, runTag, options.timeoutMs);
  const isMemelab = workload instanceof MemelabWorkload;
  const mix = options.mix ?? workload.defaultMix;
  const cycle = mixCycle(parseMix(mix, workload.kinds));

  const feedClient = new Client(origin);
  const feedAbort = new AbortController();
  const feed = isMemelab ? followLiveFeed(feedClient, tracker, feedAbort.signal) : Promise.resolve();

  const overall = new LatencyRecorder();
  const byKind = new Map(workload.kinds.map((kind) => [kind, new LatencyRecorder()]));
  const timeline: TimelineSample[] = [];
  let queueDepthMax: number | null = null;
  let ticker: NodeJS.Timeout | undefined;
  try {
    await workload.prepare();
    options.onLoadStart?.();
    const startedAt = new Date();
    const start = performance.now();
    let second = 0;
    let scraping = false;
    ticker = setInterval(() => {
      second++;
      for (const recorder of byKind.values()) recorder.tick(second);
      const point = overall.tick(second);
      const sample: TimelineSample = { ...point, done: tracker.doneCount, queueDepth: null };
      timeline.push(sample);
      onProgress?.(sample, { requests: overall.succeeded + overall.failed, errors: overall.failed });
      if (isMemelab && !scraping) {
        scraping = true;
        void scrapeQueueDepth(pool).then((depth) => {
          scraping = false;
          (sample as { queueDepth: number | null }).queueDepth = depth;
          if (depth !== null) queueDepthMax = Math.max(queueDepthMax ?? 0, depth);
        });
      }
    }, 1000);

    const outcome = await runLoad(
      {
        shape: options.shape,
        durationMs: options.durationMs,
        maxInFlight: options.maxInFlight,
        ...(options.stopSignal === undefined ? {} : { signal: options.stopSignal }),
        ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
      },
      async (index, intendedAt) => {
        const kind = cycle[index % cycle.length] ?? cycle[0];
        if (kind === undefined) return;
        let result: SendResult;
        try {
          result = await workload.send(kind, index, intendedAt);
        } catch (error) {
          result = { ok: false, status: failureStatus(error) };
        }
        const finishedAt = performance.now();
        const latency = finishedAt - intendedAt;
        options.onResult?.(kind, result, finishedAt);
        for (const recorder of [overall, byKind.get(kind)]) {
          if (result.ok) recorder?.recordSuccess(latency);
          else recorder?.recordError(result.status);
        }
      },
    );
    for (let skipped = 0; skipped < outcome.skipped; skipped++) overall.recordError('client_saturated');
    const loadSeconds = outcome.elapsedMs / 1000;

    let memes: StressSummary['memes'];
    if (isMemelab) {
      const { failed, lost } = await drainAccepted(tracker, workload, options.drainMs);
      const doneSeconds = (performance.now() - start) / 1000;
      memes = {
        accepted: tracker.acceptedCount,
        done: tracker.doneCount,
        failed,
        lost,
        donePerSecond: round(tracker.doneCount / doneSeconds),
        acceptToDoneMs: tracker.latency.summary(),
      };
    }
    clearInterval(ticker);

    const requests = overall.succeeded + overall.failed;
    return {
      target: origin,
      workload: workload.name,
      shape: options.shape,
      mix,
      startedAt: startedAt.toISOString(),
      durationS: round(loadSeconds),
      requests,
      ok: overall.succeeded,
      errors: overall.errors(),
      errorRatio: requests === 0 ? 0 : round(overall.failed / requests, 5),
      rps: round(requests / loadSeconds),
      latencyMs: overall.summary(),
      byKind: Object.fromEntries(
        [...byKind].map(([kind, recorder]) => [
          kind,
          {
            requests: recorder.succeeded + recorder.failed,
            ok: recorder.succeeded,
            errors: recorder.errors(),
            latencyMs: recorder.summary(),
          },
        ]),
      ),
      ...(memes === undefined ? {} : { memes }),
      queueDepthMax,
      timeline,
    };
  } finally {
    clearInterval(ticker);
    feedAbort.abort();
    await feed;
    await Promise.allSettled([pool.close(), feedClient.close()]);
  }
};

const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;
