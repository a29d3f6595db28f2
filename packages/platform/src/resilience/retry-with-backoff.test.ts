import { describe, expect, it } from 'vitest';
import { retryWithBackoff } from './retry-with-backoff.ts';

describe('retryWithBackoff', () => {
  it('retries until the work succeeds', async () => {
    let calls = 0;
    const retries: number[] = [];
    const result = await retryWithBackoff(
      async () => {
        calls++;
        if (calls < 3) throw new Error('not yet');
        return 'up';
      },
      { timeoutMs: 5_000, initialDelayMs: 5, onRetry: (_error, attempt) => retries.push(attempt) },
    );
    expect(result).toBe('up');
    expect(calls).toBe(3);
    expect(retries).toEqual([1, 2]);
  });

  it('rethrows the last error once the time is up', async () => {
    const started = Date.now();
    await expect(
      retryWithBackoff(
        async () => {
          throw new Error('still down');
        },
        { timeoutMs: 100, initialDelayMs: 10 },
      ),
    ).rejects.toThrow('still down');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('rethrows at once an error that says retrying will not help', async () => {
    let calls = 0;
    const conflict = Object.assign(new Error('queue exists with other arguments'), { retryable: false });
    await expect(
      retryWithBackoff(
        async () => {
          calls++;
          throw conflict;
        },
        { timeoutMs: 5_000, initialDelayMs: 10 },
      ),
    ).rejects.toBe(conflict);
    expect(calls).toBe(1);
  });
});
