/**
 * When each request of an open-model load test is meant to start. Latency is measured from
 * this intended time, not from when the client got round to sending, so a slow server
 * cannot hide its queueing by slowing the client down (no coordinated omission).
 *
 * The rate climbs linearly from 0 to `ratePerSecond` over `rampMs`, then stays there.
 */
export interface ArrivalPlan {
  readonly ratePerSecond: number;
  readonly rampMs: number;
}

/** Milliseconds after the start at which arrival number `index` (0-based) is due. */
export const intendedOffsetMs = (index: number, plan: ArrivalPlan): number => {
  const rate = plan.ratePerSecond / 1000; // arrivals per ms
  const ramp = plan.rampMs;
  // Arrivals during the ramp: the integral of rate * t / ramp from 0 to ramp.
  const rampArrivals = (rate * ramp) / 2;
  if (ramp > 0 && index < rampArrivals) return Math.sqrt((2 * index * ramp) / rate);
  return ramp + (index - rampArrivals) / rate;
};

/** The intended offsets of every arrival before `durationMs`, capped at `maxCount`. */
export function* arrivalOffsets(plan: ArrivalPlan, durationMs: number, maxCount = Number.POSITIVE_INFINITY) {
  for (let index = 0; index < maxCount; index++) {
    const offset = intendedOffsetMs(index, plan);
    if (offset >= durationMs) return;
    yield offset;
  }
}
