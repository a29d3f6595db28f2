import { DatabaseBusyError } from '@memelab/adapters';
import { AppError } from '@memelab/core';

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'EPIPE']);
/**
 * What node-postgres throws, without a code, for a connection the server closed under it
 * (a restart or a fast shutdown while a query was in flight or the client sat in the pool).
 */
const LOST_CONNECTION =
  /^(Connection terminated|Client (has encountered a connection error|was closed) and is not queryable)/;

/** SQLSTATE class 08 (connection exception) and 57P01–57P05 (admin or crash shutdown, cannot connect now, idle session ended). */
const isUnreachable = (code: unknown, message: unknown): boolean => {
  if (typeof code === 'string') return UNREACHABLE.has(code) || code.startsWith('08') || /^57P0[1-5]$/.test(code);
  return typeof message === 'string' && LOST_CONNECTION.test(message);
};

/**
 * Database conditions the client can do nothing about but wait: an exhausted pool (503 with
 * Retry-After, counted), a statement over its time limit, a server that cannot be reached.
 */
export const translateDatabaseError =
  (retryAfterSeconds: number, onBusy: () => void) =>
  (error: unknown): unknown => {
    if (error instanceof DatabaseBusyError) {
      onBusy();
      return new AppError('DATABASE_BUSY', 'Every database connection is in use; try again shortly.', {
        status: 503,
        cause: { retryAfterSeconds },
      });
    }
    const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
    if (code === '57014') {
      return new AppError('DATABASE_TIMEOUT', 'The database did not answer in time; try again shortly.', {
        status: 503,
        cause: { retryAfterSeconds },
      });
    }
    if (code === '40P01' || code === '40001') {
      // Still a deadlock or serialization victim after the service's own retries.
      return new AppError('DATABASE_CONTENTION', 'Concurrent changes kept colliding; try again shortly.', {
        status: 503,
        cause: { retryAfterSeconds },
      });
    }
    const message = error instanceof Error ? error.message : undefined;
    if (isUnreachable(code, message)) {
      return new AppError('DATABASE_UNAVAILABLE', 'The database cannot be reached; try again shortly.', {
        status: 503,
        cause: { retryAfterSeconds },
      });
    }
    return error;
  };

/**
 * How an error appears in a log line: its class, SQLSTATE, constraint and stack frames,
 * but not a driver's message or detail, which quote the values of the failing row.
 */
export const serializeErrorWithoutValues = (error: unknown): Record<string, unknown> => {
  if (!(error instanceof Error)) return { type: typeof error };
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  const fromDatabase = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
  return {
    type: error.name,
    ...(fromDatabase ? { code, constraint } : { message: error.message }),
    stack: error.stack?.split('\n').slice(1).join('\n'),
  };
};
