import { AppError, isAppError } from '@memelab/core';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, toProblemDetails } from '../errors/problem-details.ts';
import type { Logger } from '../logging/logger.ts';

/** Fastify's and its plugins' client errors, under memelab's stable codes. */
const FASTIFY_CODES: Readonly<Record<string, { code: string; status: number }>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'BODY_TOO_LARGE', status: 413 },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'INVALID_CONTENT_LENGTH', status: 400 },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'EMPTY_BODY', status: 400 },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'INVALID_JSON', status: 400 },
  FST_REQ_FILE_TOO_LARGE: { code: 'IMAGE_TOO_LARGE', status: 413 },
  FST_FILES_LIMIT: { code: 'TOO_MANY_FILES', status: 413 },
  FST_FIELDS_LIMIT: { code: 'TOO_MANY_FIELDS', status: 413 },
  FST_PARTS_LIMIT: { code: 'TOO_MANY_PARTS', status: 413 },
  FST_PROTO_VIOLATION: { code: 'INVALID_JSON', status: 400 },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { code: 'MULTIPART_REQUIRED', status: 415 },
};

const GENERIC_CODES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  413: 'BODY_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
};

/** Any client-side error a framework or plugin raises becomes an operational AppError. */
export const normalizeError = (error: unknown): unknown => {
  if (isAppError(error)) return error;
  const fastifyError = error as Partial<FastifyError> | undefined;
  const known = fastifyError?.code === undefined ? undefined : FASTIFY_CODES[fastifyError.code];
  const status = known?.status ?? fastifyError?.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const code = known?.code ?? GENERIC_CODES[status] ?? 'BAD_REQUEST';
    return new AppError(code, fastifyError?.message ?? 'The request is not valid.', { status, cause: error });
  }
  return error;
};

/**
 * When a client may retry: an AppError whose cause carries `retryAfterSeconds` (rate
 * limits, an exhausted connection pool) says so; a 429 without one waits a minute.
 */
const retryAfterSeconds = (error: unknown, status: number): number | undefined => {
  const cause = error instanceof AppError && error.cause instanceof Object ? error.cause : undefined;
  const seconds = (cause as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (typeof seconds === 'number') return seconds;
  return status === 429 ? 60 : undefined;
};

export interface ErrorHandlingOptions {
  /**
   * What a log line says about the request: its URL by default. A service whose URLs carry
   * personal data (ids, names in search filters) logs the route template instead.
   */
  readonly describeRequest?: (request: FastifyRequest) => Readonly<Record<string, unknown>>;
  /** Maps a service's own errors (a busy database, say) to AppErrors before the generic mapping. */
  readonly translateError?: (error: unknown) => unknown;
}

export const installErrorHandling = (
  app: FastifyInstance,
  logger: Logger,
  options: ErrorHandlingOptions = {},
): void => {
  const describe = options.describeRequest ?? ((request: FastifyRequest) => ({ url: request.url }));
  app.setErrorHandler((error, request, reply) => {
    const normalized = normalizeError(options.translateError?.(error) ?? error);
    const problem = toProblemDetails(normalized, { instance: request.url, correlationId: String(request.id) });
    if (problem.status >= 500) {
      logger.error({ err: error, correlationId: request.id, ...describe(request) }, 'request failed');
    } else {
      logger.debug({ code: problem.code, correlationId: request.id, ...describe(request) }, 'request rejected');
    }
    const retryAfter = retryAfterSeconds(normalized, problem.status);
    if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
    return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
  });

  app.setNotFoundHandler((request, reply) => {
    const problem = toProblemDetails(
      new AppError('NOT_FOUND', `There is nothing at ${request.method} ${request.url.split('?')[0]}.`, { status: 404 }),
      { instance: request.url, correlationId: String(request.id) },
    );
    return reply.code(404).type(PROBLEM_CONTENT_TYPE).send(problem);
  });
};
