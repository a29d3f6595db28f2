import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryOptions {
  /** Give up (rethrow the last error) after this long; dependencies usually come up within it. */
  readonly timeoutMs: number;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  readonly signal?: AbortSignal;
}

/** An error that says waiting will not help (`retryable: false`, e.g. a conflicting queue) ends the wait at once. */
const isNotRetryable = (error: unknown): boolean => (error as { retryable?: unknown } | null)?.retryable === false;

/**
 * Retries `work` with exponential backoff and full jitter until it succeeds or the time is
 * up. Used at start-up so the services of a fresh stack can come up in any order.
 */
export const retryWithBackoff = async <T>(work: () => Promise<T>, options: RetryOptions): Promise<T> => {
  const started = Date.now();
  const maxDelay = options.maxDelayMs ?? 5_000;
  let delay = options.initialDelayMs ?? 200;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const elapsed = Date.now() - started;
      if (elapsed >= options.timeoutMs || options.signal?.aborted === true || isNotRetryable(error)) throw error;
      const wait = Math.min(Math.round(delay * (0.5 + Math.random() / 2)), options.timeoutMs - elapsed);
      options.onRetry?.(error, attempt, wait);
      await sleep(wait, undefined, options.signal === undefined ? {} : { signal: options.signal });
      delay = Math.min(delay * 2, maxDelay);
    }
  }
};
