import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import { AppError, LIMITS } from '@memelab/core';
import {
  acceptCorrelationId,
  CORRELATION_HEADER,
  installErrorHandling,
  type Logger,
  nameHttpServerSpan,
  withCorrelationId,
} from '@memelab/platform';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { ApiMetrics } from './api.metrics.ts';
import { endEventStreamsOnClose } from './server-sent-events.ts';

export interface HttpServerOptions {
  readonly logger: Logger;
  readonly metrics: ApiMetrics;
  readonly bodyLimitBytes: number;
  readonly trustProxy: boolean;
}

const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);
/** Image hits are the bulk of the traffic and tell an operator nothing one by one: debug only (metrics count them). */
const IMAGE_ROUTES = new Set(['/m/:file', '/images/*']);

/**
 * The HTTP server with everything every route relies on: correlation ids (taken from
 * `x-correlation-id` or made, echoed back, and set as the async context of the handler so
 * every log line and published job carries it), problem-details errors, request metrics,
 * one log line per request, rate limiting (opted into per route) and multipart uploads.
 */
export const createHttpServer = async (options: HttpServerOptions): Promise<FastifyInstance> => {
  const { logger, metrics } = options;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // One line per request is written by the onResponse hook below, with the route's metrics.
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger per request: every line already carries the request's correlation id
    // (the logger's mixin reads it from the async context), and making a child with its own
    // bindings on every request is a measurable share of the cost of serving a cached image.
    childLoggerFactory: (parent) => parent,
    bodyLimit: options.bodyLimitBytes,
    trustProxy: options.trustProxy,
    genReqId: (request) => acceptCorrelationId(request.headers[CORRELATION_HEADER]),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { maxParamLength: 2_000 },
  });

  // Callback-style hooks, not async ones: an async hook costs every request a promise and
  // a turn of the microtask queue, and none of these waits for anything.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(CORRELATION_HEADER, request.id);
    nameHttpServerSpan(request.method, request.routeOptions.url);
    // 'close' comes once per response, whether it finished or the client went away.
    metrics.httpInFlight.inc();
    reply.raw.once('close', () => metrics.httpInFlight.dec());
    done();
  });
  // After the body is parsed: parsing runs in the socket's async context, not the request's.
  app.addHook('preHandler', (request, _reply, done) => withCorrelationId(String(request.id), done));
  app.addHook('onResponse', (request, reply, done) => {
    recordResponse(request, reply);
    done();
  });
  const recordResponse = (request: FastifyRequest, reply: FastifyReply): void => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, seconds);
    const quiet = QUIET_ROUTES.has(route) || (reply.statusCode < 400 && IMAGE_ROUTES.has(route));
    if (quiet && !logger.isLevelEnabled('debug')) return;
    const line = {
      correlationId: request.id,
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    };
    if (quiet) logger.debug(line, 'request');
    else logger.info(line, 'request');
  };

  // JSON and multipart only: a text/plain body is refused (415), not parsed as a spec.
  app.removeContentTypeParser('text/plain');
  installErrorHandling(app, logger);
  endEventStreamsOnClose(app);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', `Too many requests: at most ${context.max} per ${context.after}. Try again later.`, {
        status: 429,
        cause: { retryAfterSeconds: Math.ceil(context.ttl / 1000) },
      }),
  });
  await app.register(multipart, { limits: { fileSize: LIMITS.maxInputBytes, files: 1 } });
  return app;
};
