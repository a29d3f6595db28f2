import { setTimeout as sleep } from 'node:timers/promises';
import { arrivalOffsets } from './arrival-schedule.ts';

/**
 * Drives requests either at a target arrival rate (open model: requests start on schedule
 * whether or not earlier ones have finished, so an overloaded server shows its real
 * latency) or from a fixed number of clients that each wait for their answer (closed
 * model). Always stops at its duration or count.
 */
export type LoadShape =
  | { readonly kind: 'rate'; readonly ratePerSecond: number; readonly rampMs: number }
  | { readonly kind: 'concurrency'; readonly clients: number };

export interface LoadRun {
  readonly shape: LoadShape;
  readonly durationMs: number;
  readonly maxCount?: number;
  /** Open model only: arrivals beyond this many unanswered requests are skipped and counted. */
  readonly maxInFlight: number;
  readonly signal?: AbortSignal;
}

/** Sends request `index`, meant to start at `intendedAt` (performance.now() time); never rejects. */
export type Fire = (index: number, intendedAt: number) => Promise<void>;

export interface LoadOutcome {
  readonly sent: number;
  /** Arrivals the client could not send because `maxInFlight` requests were unanswered. */
  readonly skipped: number;
  readonly elapsedMs: number;
}

/** Longest pause between scheduling passes; arrivals that fell due meanwhile go out together. */
const MAX_IDLE_MS = 5;

const runOpen = async (
  run: LoadRun,
  plan: { ratePerSecond: number; rampMs: number },
  fire: Fire,
): Promise<LoadOutcome> => {
  const start = performance.now();
  const inFlight = new Set<Promise<void>>();
  const offsets = arrivalOffsets(plan, run.durationMs, run.maxCount);
  let sent = 0;
  let skipped = 0;
  let index = 0;
  for (let next = offsets.next(); !next.done && run.signal?.aborted !== true; ) {
    const now = performance.now() - start;
    while (!next.done && next.value <= now) {
      if (inFlight.size >= run.maxInFlight) {
        skipped++;
      } else {
        const pending: Promise<void> = fire(index, start + next.value).finally(() => inFlight.delete(pending));
        inFlight.add(pending);
        sent++;
      }
      index++;
      next = offsets.next();
    }
    if (next.done) break;
    await sleep(Math.min(MAX_IDLE_MS, Math.max(0, start + next.value - performance.now())));
  }
  await Promise.allSettled(inFlight);
  return { sent, skipped, elapsedMs: performance.now() - start };
};

const runClosed = async (run: LoadRun, clients: number, fire: Fire): Promise<LoadOutcome> => {
  const start = performance.now();
  const deadline = start + run.durationMs;
  const maxCount = run.maxCount ?? Number.POSITIVE_INFINITY;
  let index = 0;
  const client = async (): Promise<void> => {
    while (performance.now() < deadline && index < maxCount && run.signal?.aborted !== true) {
      const mine = index++;
      await fire(mine, performance.now());
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return { sent: index, skipped: 0, elapsedMs: performance.now() - start };
};

export const runLoad = (run: LoadRun, fire: Fire): Promise<LoadOutcome> =>
  run.shape.kind === 'rate' ? runOpen(run, run.shape, fire) : runClosed(run, run.shape.clients, fire);
