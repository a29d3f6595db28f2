import { describe, expect, it } from 'vitest';
import { arrivalOffsets, intendedOffsetMs } from './arrival-schedule.ts';

describe('arrival schedule', () => {
  it('spaces arrivals evenly at a constant rate', () => {
    const offsets = [...arrivalOffsets({ ratePerSecond: 100, rampMs: 0 }, 1000)];
    expect(offsets).toHaveLength(100);
    expect(offsets[0]).toBe(0);
    expect(offsets[1]).toBeCloseTo(10);
    expect(offsets[99]).toBeCloseTo(990);
  });

  it('sends half the steady-state count during a linear ramp', () => {
    const plan = { ratePerSecond: 200, rampMs: 2000 };
    const duringRamp = [...arrivalOffsets(plan, 2000)].length;
    expect(duringRamp).toBe(200); // 200/s reached at 2 s: the area under the ramp is 200
    const afterRamp = [...arrivalOffsets(plan, 3000)].length - duringRamp;
    expect(afterRamp).toBe(200);
  });

  it('starts slowly during the ramp and speeds up', () => {
    const plan = { ratePerSecond: 100, rampMs: 1000 };
    const firstGap = intendedOffsetMs(1, plan) - intendedOffsetMs(0, plan);
    const laterGap = intendedOffsetMs(41, plan) - intendedOffsetMs(40, plan);
    expect(firstGap).toBeGreaterThan(laterGap * 5);
  });

  it('is continuous where the ramp ends', () => {
    const plan = { ratePerSecond: 50, rampMs: 1000 };
    expect(intendedOffsetMs(25, plan)).toBeCloseTo(1000);
    expect(intendedOffsetMs(26, plan)).toBeCloseTo(1020);
  });

  it('stops at the count cap before the duration', () => {
    expect([...arrivalOffsets({ ratePerSecond: 1000, rampMs: 0 }, 10_000, 7)]).toHaveLength(7);
  });
});
