import { AppError, toValidationIssues } from '@memelab/core';
import type { z } from 'zod';

const REQUEST_PART_MESSAGES = {
  INVALID_QUERY: 'The query string is not valid.',
  INVALID_PATH: 'The URL is not valid.',
  INVALID_HEADER: 'A request header is not valid.',
} as const;

/** Validates path parameters or a query string; problems are the client's: 400 with every issue. */
export const parseRequestPart = <Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  code: 'INVALID_QUERY' | 'INVALID_PATH' | 'INVALID_HEADER',
): z.output<Schema> => {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new AppError(code, REQUEST_PART_MESSAGES[code], {
    status: 400,
    issues: toValidationIssues(result.error),
  });
};
