import type { FastifyInstance } from 'fastify';

/** How long requests in flight may take to finish once shutdown begins. */
export const HTTP_DRAIN_MS = 10_000;

/**
 * Closes the server gracefully: new requests get 503, idle keep-alive connections close,
 * requests in flight may finish for `drainMs`; then every connection still open is cut.
 * A client that never finishes sending a body it was refused (an upload rejected with
 * 401 or 413) would otherwise hold the shutdown until its deadline.
 */
export const closeHttpServer = async (app: FastifyInstance, drainMs: number): Promise<void> => {
  const timer = setTimeout(() => app.server.closeAllConnections(), drainMs);
  timer.unref();
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
};
