import { describe, expect, it } from 'vitest';
import {
  type ChaosObservation,
  checkInvariants,
  doneRate,
  readinessResult,
  throughputResult,
} from './chaos-invariants.ts';
import { readyAgainAt } from './readiness-watch.ts';

const healthy: ChaosObservation = {
  accepted: 100,
  lost: 0,
  failed: 0,
  rows: { done: 108 },
  objects: 108,
  serverErrors: [{ at: 12_000, status: '503' }],
  readiness: [
    { at: 0, ready: true },
    { at: 10_500, ready: false },
    { at: 21_000, ready: true },
  ],
  faultStart: 10_000,
  faultEnd: 20_000,
  recoveredAt: 21_000,
};

const failedNames = (observation: ChaosObservation, readiness: 'drops' | 'stays-ready' | 'either' = 'drops') =>
  checkInvariants(observation, readiness)
    .filter((result) => !result.passed)
    .map((result) => result.name);

describe('chaos invariants', () => {
  it('all hold for a run that recovered cleanly', () => {
    expect(failedNames(healthy)).toEqual([]);
  });

  it('a lost or still-queued meme breaks the first invariant', () => {
    expect(failedNames({ ...healthy, lost: 1 })).toEqual(['every accepted meme ends done']);
    expect(failedNames({ ...healthy, rows: { done: 108, queued: 2 } })).toEqual(['every accepted meme ends done']);
  });

  it('an object too many is a duplicate or an orphan', () => {
    expect(failedNames({ ...healthy, objects: 109 })).toEqual(['one object per done meme (no duplicates, no orphans)']);
  });

  it('a 5xx after recovery breaks the window invariant; one inside does not', () => {
    const late = { ...healthy, serverErrors: [...healthy.serverErrors, { at: 30_000, status: '500' }] };
    expect(failedNames(late)).toEqual(['no 5xx outside the fault window']);
  });

  it('readiness must drop when the experiment says so, and stay up when it says that', () => {
    const neverDropped = { ...healthy, readiness: [{ at: 0, ready: true }] };
    expect(failedNames(neverDropped, 'drops')).toEqual(['not ready during the fault']);
    expect(failedNames(healthy, 'stays-ready')).toEqual(['ready throughout']);
    expect(failedNames(healthy, 'either')).toEqual([]);
  });

  it('not ready at the end is a failure', () => {
    const stuck = { ...healthy, readiness: [...healthy.readiness, { at: 40_000, ready: false }] };
    expect(failedNames(stuck)).toContain('ready again after the fault');
  });
});

describe('readyAgainAt', () => {
  it('is the first ready change after the time, or the time itself when ready then', () => {
    expect(readyAgainAt(healthy.readiness, 20_000)).toBe(21_000);
    expect(readyAgainAt(healthy.readiness, 5_000)).toBe(5_000);
    expect(readyAgainAt([{ at: 0, ready: false }], 5_000)).toBeUndefined();
  });
});

describe('readinessResult', () => {
  it("judges another process's readiness by the window, with its name", () => {
    const changes = [
      { at: 0, ready: true },
      { at: 12_000, ready: false },
      { at: 19_000, ready: true },
    ];
    expect(readinessResult('worker ', changes, 10_000, 20_000, 'drops')).toEqual({
      name: 'worker not ready during the fault',
      passed: true,
      detail: 'readiness went false',
    });
    expect(readinessResult('worker ', changes, 20_000, 30_000, 'drops')?.passed).toBe(false);
    expect(readinessResult('worker ', changes, 10_000, 20_000, 'stays-ready')?.passed).toBe(false);
    expect(readinessResult('worker ', changes, 10_000, 20_000, 'either')).toBeUndefined();
  });
});

describe('throughput after a scale-out', () => {
  const timeline = [0, 10, 20, 30, 40, 50, 80, 110, 140, 170].map((done, index) => ({ second: index + 1, done }));

  it('reads memes done per second between two seconds of the timeline', () => {
    expect(doneRate(timeline, 1, 5)).toBe(10);
    expect(doneRate(timeline, 6, 10)).toBe(30);
  });

  it('passes when the rate grew by the ratio, fails when it did not', () => {
    expect(throughputResult(10, 30, 1.5).passed).toBe(true);
    expect(throughputResult(10, 12, 1.5)).toMatchObject({ passed: false, detail: '10.0 → 12.0 memes/s (1.20×)' });
    expect(throughputResult(0, 12, 1.5).passed).toBe(false);
  });
});
