import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * The correlation id of the work in progress: set from an HTTP request's
 * `x-correlation-id` header (or a new one), carried in job headers to the worker, and
 * stamped on every log line written meanwhile, so one request can be followed across
 * processes.
 */
const storage = new AsyncLocalStorage<string>();

export const CORRELATION_HEADER = 'x-correlation-id';

export const currentCorrelationId = (): string | undefined => storage.getStore();

export const withCorrelationId = <T>(correlationId: string, work: () => T): T => storage.run(correlationId, work);

export const newCorrelationId = (): string => randomUUID();

/** Accepts a client's id only when it is a sane token; anything else gets a fresh id. */
export const acceptCorrelationId = (value: unknown): string =>
  typeof value === 'string' && /^[\w.:-]{1,128}$/.test(value) ? value : newCorrelationId();
