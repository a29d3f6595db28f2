import { AppError, type ValidationIssue } from '@memelab/core';

/** RFC 9457 problem details, plus memelab's stable `code` and the request's correlation id. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly instance?: string;
  readonly correlationId?: string;
  readonly issues?: readonly ValidationIssue[];
}

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Problem types are URNs: stable, resolvable by reading docs/errors.md, and no fake domain. */
export const problemType = (code: string): string => `urn:memelab:problem:${code.toLowerCase().replaceAll('_', '-')}`;

export const INTERNAL_ERROR_CODE = 'INTERNAL_ERROR';

/**
 * Maps any thrown value to problem details. Operational AppErrors keep their status, code
 * and message; anything else becomes a 500 whose detail reveals nothing of the internals
 * (the caller logs the original with its stack).
 */
export const toProblemDetails = (
  error: unknown,
  context: { readonly instance?: string; readonly correlationId?: string } = {},
): ProblemDetails => {
  const known = error instanceof AppError && error.operational;
  const status = known ? error.status : 500;
  const code = known ? error.code : INTERNAL_ERROR_CODE;
  return {
    type: problemType(code),
    title: TITLES[status] ?? 'Error',
    status,
    detail: known ? error.message : 'Something went wrong on our side. The error was logged with this correlation id.',
    code,
    ...(context.instance === undefined ? {} : { instance: context.instance }),
    ...(context.correlationId === undefined ? {} : { correlationId: context.correlationId }),
    ...(known && error.issues.length > 0 ? { issues: error.issues } : {}),
  };
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
