/**
 * The queue cannot take the request right now: not connected (the broker is unreachable, or
 * `setup()` has not succeeded) or already closed. Callers decide whether to retry, fail the
 * request with 503, or leave the row for the sweeper.
 */
export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';
}
