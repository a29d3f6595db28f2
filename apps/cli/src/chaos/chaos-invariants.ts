import type { ReadinessChange } from './readiness-watch.ts';

/** What an experiment's run left behind, in the terms its invariants are stated in. */
export interface ChaosObservation {
  readonly accepted: number;
  readonly lost: number;
  readonly failed: number;
  /** Database rows by status after the drain. */
  readonly rows: Record<string, number>;
  readonly objects: number;
  /** Server errors (5xx) and unanswered requests, with the time each answer came. */
  readonly serverErrors: readonly { readonly at: number; readonly status: string }[];
  readonly readiness: readonly ReadinessChange[];
  readonly faultStart: number;
  readonly faultEnd: number;
  /** When the API was ready again after the fault (faultEnd if it never stopped being ready). */
  readonly recoveredAt: number | undefined;
}

export type ReadinessExpectation = 'drops' | 'stays-ready' | 'either';

export interface InvariantResult {
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
}

/** Slack around the fault window for the edges of a one-process restart or a reconnect. */
const EDGE_MS = 1000;

export const checkInvariants = (observation: ChaosObservation, readiness: ReadinessExpectation): InvariantResult[] => {
  const o = observation;
  const windowEnd = (o.recoveredAt ?? o.faultEnd) + EDGE_MS;
  const outside = o.serverErrors.filter((error) => error.at < o.faultStart - EDGE_MS || error.at > windowEnd);
  const readyAtEnd = o.readiness.at(-1)?.ready === true;
  const results: InvariantResult[] = [
    {
      name: 'every accepted meme ends done',
      passed: o.lost === 0 && o.failed === 0 && (o.rows.queued ?? 0) === 0 && (o.rows.failed ?? 0) === 0,
      detail: `${o.accepted} accepted, ${o.lost} lost, ${o.failed} failed; rows ${JSON.stringify(o.rows)}`,
    },
    {
      name: 'one object per done meme (no duplicates, no orphans)',
      passed: o.objects === (o.rows.done ?? 0),
      detail: `${o.objects} objects for ${o.rows.done ?? 0} done memes`,
    },
    {
      name: 'no 5xx outside the fault window',
      passed: outside.length === 0,
      detail:
        outside.length === 0
          ? `${o.serverErrors.length} inside the window`
          : `${outside.length} outside: ${[...new Set(outside.map((error) => error.status))].join(', ')}`,
    },
    {
      name: 'ready again after the fault',
      passed: readyAtEnd && o.recoveredAt !== undefined,
      detail: readyAtEnd ? 'ready' : 'not ready at the end',
    },
  ];
  const readinessCheck = readinessResult('', o.readiness, o.faultStart - EDGE_MS, windowEnd, readiness);
  if (readinessCheck !== undefined) results.push(readinessCheck);
  return results;
};

/**
 * Whether a readiness history meets its expectation for a fault window: `drops` wants a
 * not-ready state inside the window, `stays-ready` wants none at all. `who` prefixes the
 * invariant's name (`worker `) when it is not the API's.
 */
export const readinessResult = (
  who: string,
  changes: readonly ReadinessChange[],
  from: number,
  to: number,
  expectation: ReadinessExpectation,
): InvariantResult | undefined => {
  if (expectation === 'drops') {
    const dropped = changes.some((change) => !change.ready && change.at >= from && change.at <= to);
    return {
      name: `${who}not ready during the fault`,
      passed: dropped,
      detail: dropped ? 'readiness went false' : 'readiness never went false',
    };
  }
  if (expectation === 'stays-ready') {
    const everNotReady = changes.some((change) => !change.ready);
    return {
      name: `${who}ready throughout`,
      passed: !everNotReady,
      detail: everNotReady ? 'readiness went false' : 'never went false',
    };
  }
  return undefined;
};

/** Memes done per second between two seconds of a run's timeline (cumulative `done` counts). */
export const doneRate = (
  timeline: readonly { readonly second: number; readonly done: number }[],
  fromSecond: number,
  toSecond: number,
): number => {
  const at = (second: number) => timeline.filter((point) => point.second <= second).at(-1)?.done ?? 0;
  const seconds = toSecond - fromSecond;
  return seconds <= 0 ? 0 : (at(toSecond) - at(fromSecond)) / seconds;
};

/** Render throughput after a scale-out, against before it: at least `minRatio` times as many memes done per second. */
export const throughputResult = (before: number, after: number, minRatio: number): InvariantResult => ({
  name: `throughput scales (≥ ${minRatio}× memes done per second)`,
  passed: before > 0 && after >= before * minRatio,
  detail: `${before.toFixed(1)} → ${after.toFixed(1)} memes/s (${before > 0 ? (after / before).toFixed(2) : '∞'}×)`,
});
