import { AppError } from '@memelab/core';
import { describe, expect, it } from 'vitest';
import { BacklogAdmission } from './backlog-admission.ts';

const clock = () => {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

describe('backlog admission', () => {
  it('admits below the limit and refuses at it with 503 RENDER_BACKLOG_FULL and Retry-After', async () => {
    let depth = 99;
    const time = clock();
    const admission = new BacklogAdmission(async () => depth, 100, { now: time.now, retryAfterSeconds: 3 });
    await expect(admission.admit()).resolves.toBeUndefined();
    depth = 100;
    time.advance(1000);
    const refusal = await admission.admit().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ code: 'RENDER_BACKLOG_FULL', status: 503 });
    expect(((refusal as AppError).cause as { retryAfterSeconds: number }).retryAfterSeconds).toBe(3);
  });

  it('reads the depth at most once per refresh interval, shared by concurrent requests', async () => {
    let reads = 0;
    const time = clock();
    const admission = new BacklogAdmission(
      async () => {
        reads++;
        return 5;
      },
      100,
      { now: time.now, refreshMs: 500 },
    );
    await Promise.all(Array.from({ length: 50 }, () => admission.admit()));
    await admission.admit();
    expect(reads).toBe(1);
    time.advance(600);
    await admission.admit();
    expect(reads).toBe(2);
  });

  it('accepts when the broker cannot say how deep the queue is', async () => {
    const admission = new BacklogAdmission(() => Promise.reject(new Error('broker down')), 1);
    await expect(admission.admit()).resolves.toBeUndefined();
  });

  it('never reads the queue when turned off with a limit of 0', async () => {
    let reads = 0;
    const admission = new BacklogAdmission(async () => {
      reads++;
      return 1_000_000;
    }, 0);
    await expect(admission.admit()).resolves.toBeUndefined();
    expect(reads).toBe(0);
  });
});
