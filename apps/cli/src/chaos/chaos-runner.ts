import { setTimeout as sleep } from 'node:timers/promises';
import { runStress, type StressSummary } from '../stress/stress-run.ts';
import type { ChaosExperiment, FaultClock } from './chaos-experiments.ts';
import {
  checkInvariants,
  doneRate,
  type InvariantResult,
  readinessResult,
  throughputResult,
} from './chaos-invariants.ts';
import { startChaosStack } from './chaos-stack.ts';
import { readyAgainAt, watchReadiness } from './readiness-watch.ts';
import { writeChaosReport } from './standalone-experiment.ts';

export interface ChaosRunOptions {
  /** 1 for the full experiment; the short form (CI) scales fault and load durations down. */
  readonly scale: number;
  readonly outDir: string;
  readonly log: (message: string) => void;
}

export interface ChaosReport {
  readonly experiment: string;
  readonly title: string;
  readonly hypothesis: string;
  readonly startedAt: string;
  readonly scale: number;
  readonly passed: boolean;
  readonly invariants: readonly InvariantResult[];
  /** Seconds since the load started. */
  readonly timeline: readonly { readonly second: number; readonly event: string }[];
  readonly faultSeconds: number;
  /** From the end of the fault until the API was ready again. */
  readonly recoveryMs: number | null;
  readonly serverErrors: Record<string, number>;
  /** Absent for an experiment that drives no meme load (it measures something else). */
  readonly load?: Omit<StressSummary, 'timeline'>;
  readonly loadTimeline?: StressSummary['timeline'];
  /** An experiment's own figures, printed in its JSON line. */
  readonly figures?: Record<string, unknown>;
}

/** Render jobs give up after this long in the chaos stack (the product default is longer). */
const CHAOS_ENV = {
  WORKER_RETRY_BASE_MS: '200',
  WORKER_RETRY_MAX_MS: '2000',
  WORKER_DEPENDENCY_CHECK_MS: '500',
  SWEEPER_INTERVAL_MS: '1000',
  LOG_LEVEL: 'warn',
};

const LEAD_IN_MS = 10_000;
const TAIL_MS = 20_000;
const RATE_PER_SECOND = 20;
/** A bound on the load, whatever an experiment does. */
const MAX_LOAD_MS = 10 * 60_000;
/** How long the API may take to be ready again after the heal before the run says it never was. */
const READY_AGAIN_MS = 60_000;
const DRAIN_MS = 180_000;

export const runChaosExperiment = async (
  experiment: ChaosExperiment,
  options: ChaosRunOptions,
): Promise<ChaosReport> => {
  if (experiment.run !== undefined) return experiment.run(options);
  const { log, scale } = options;
  const stack = await startChaosStack({
    workers: experiment.workers,
    env: CHAOS_ENV,
    ...(experiment.workerEnv === undefined ? {} : { workerEnv: experiment.workerEnv }),
    log,
  });
  const rate = experiment.load?.ratePerSecond ?? RATE_PER_SECOND;
  const readiness = watchReadiness(() => `${stack.apiUrl}/readyz`);
  const firstWorker = stack.workers[0];
  const workerReadiness =
    experiment.workerReadiness === undefined || firstWorker === undefined
      ? undefined
      : watchReadiness(() => `http://127.0.0.1:${firstWorker.port}/readyz`);
  const events: Array<{ at: number; event: string }> = [];
  const serverErrors: Array<{ at: number; status: string }> = [];
  let cleanupBeforeDestroy: () => Promise<unknown> = async () => {};
  let faultStart = Number.POSITIVE_INFINITY;
  let faultEnd = Number.POSITIVE_INFINITY;
  const clock: FaultClock = {
    start: (note) => {
      faultStart = performance.now();
      events.push({ at: faultStart, event: `fault: ${note}` });
      log(`fault: ${note}`);
    },
    end: (note) => {
      faultEnd = performance.now();
      events.push({ at: faultEnd, event: `healed: ${note}` });
      log(`healed: ${note}`);
    },
    note: (text) => {
      events.push({ at: performance.now(), event: text });
      log(text);
    },
  };
  try {
    let loadStart = performance.now();
    let loadHasBegun = false;
    let loadStarted: () => void = () => {};
    const loadBegins = new Promise<void>((resolve) => {
      loadStarted = resolve;
    });
    // The fault comes a lead-in after the load has started, never while the run prepares;
    // the load goes on for a tail after the heal, so what happens after recovery is seen too.
    const stopLoad = new AbortController();
    const fault = (async () => {
      try {
        await loadBegins;
        await sleep(Math.round(LEAD_IN_MS * Math.max(scale, 0.5)));
        await experiment.inject(stack, clock, scale);
        await sleep(Math.round(TAIL_MS * Math.max(scale, 0.5)));
      } finally {
        stopLoad.abort();
      }
    })();
    // Settled before the stack is torn down, whatever happens to the load.
    const faultSettled = fault.then(
      () => undefined,
      (error: unknown) => error,
    );
    // The fault only runs once the load has begun; if the run failed before, there is none to wait for.
    cleanupBeforeDestroy = () => (loadHasBegun ? faultSettled : Promise.resolve());
    log(`load: ${rate} req/s until ${Math.round((TAIL_MS * Math.max(scale, 0.5)) / 1000)} s after the heal`);
    const summary = await runStressWithContext({
      target: new URL(stack.apiUrl),
      shape: { kind: 'rate', ratePerSecond: rate, rampMs: 0 },
      durationMs: MAX_LOAD_MS,
      stopSignal: stopLoad.signal,
      mix: experiment.load?.mix ?? 'create=3,image=1',
      timeoutMs: 10_000,
      drainMs: DRAIN_MS,
      maxInFlight: 500,
      connections: 16,
      onLoadStart: () => {
        loadHasBegun = true;
        loadStart = performance.now();
        loadStarted();
      },
      onResult: (_kind, result, at) => {
        if (
          !result.ok &&
          (result.status === 'timeout' || result.status === 'connection' || result.status.startsWith('5'))
        ) {
          serverErrors.push({ at, status: result.status });
        }
      },
    });
    const faultError = await faultSettled;
    const readyBy = performance.now() + READY_AGAIN_MS;
    while (readiness.changes.at(-1)?.ready !== true && performance.now() < readyBy) await sleep(250);
    if (faultError !== undefined) {
      throw new Error(`injecting the fault failed: ${(faultError as Error).message}`, { cause: faultError });
    }
    readiness.stop();
    const [rows, objects] = await Promise.all([stack.memeCounts(), stack.objectCount()]);
    const recoveredAt = readyAgainAt(readiness.changes, faultEnd);
    const invariants = checkInvariants(
      {
        accepted: summary.memes?.accepted ?? 0,
        lost: summary.memes?.lost ?? 0,
        failed: summary.memes?.failed ?? 0,
        rows,
        objects,
        serverErrors,
        readiness: readiness.changes,
        faultStart,
        faultEnd,
        recoveredAt,
      },
      experiment.readiness,
    );
    workerReadiness?.stop();
    const workerCheck =
      workerReadiness === undefined || experiment.workerReadiness === undefined
        ? undefined
        : readinessResult(
            'worker ',
            workerReadiness.changes,
            faultStart - 1000,
            faultEnd + 1000,
            experiment.workerReadiness,
          );
    if (workerCheck !== undefined) invariants.push(workerCheck);
    const relative = (at: number) => Math.round((at - loadStart) / 100) / 10;
    if (experiment.throughputRatio !== undefined) {
      // Before: the seconds of the lead-in after the first; after: from the heal to the load's end.
      const faultSecond = Math.floor(relative(faultStart));
      const healSecond = Math.ceil(relative(faultEnd));
      const lastSecond = summary.timeline.at(-1)?.second ?? healSecond;
      invariants.push(
        throughputResult(
          doneRate(summary.timeline, 1, faultSecond),
          doneRate(summary.timeline, healSecond, lastSecond),
          experiment.throughputRatio,
        ),
      );
    }
    const { timeline: loadTimeline, ...load } = summary;
    const report: ChaosReport = {
      experiment: experiment.name,
      title: experiment.title,
      hypothesis: experiment.hypothesis,
      startedAt: summary.startedAt,
      scale,
      passed: invariants.every((result) => result.passed),
      invariants,
      timeline: [
        ...events.map(({ at, event }) => ({ second: relative(at), event })),
        ...readiness.changes.map(({ at, ready }) => ({
          second: relative(at),
          event: ready ? 'API ready' : 'API not ready',
        })),
      ].sort((a, b) => a.second - b.second),
      faultSeconds: Math.round((faultEnd - faultStart) / 100) / 10,
      recoveryMs: recoveredAt === undefined ? null : Math.round(recoveredAt - faultEnd),
      serverErrors: serverErrors.reduce<Record<string, number>>((counts, { status }) => {
        counts[status] = (counts[status] ?? 0) + 1;
        return counts;
      }, {}),
      load,
      loadTimeline,
    };
    await writeChaosReport(report, options.outDir, { summary });
    return report;
  } finally {
    readiness.stop();
    workerReadiness?.stop();
    await cleanupBeforeDestroy();
    await stack.destroy();
  }
};

const runStressWithContext = async (options: Parameters<typeof runStress>[0]): Promise<StressSummary> => {
  try {
    return await runStress(options);
  } catch (error) {
    throw new Error(`the load failed: ${(error as Error).message}`, { cause: error });
  }
};
