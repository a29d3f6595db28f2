import { AppError, toValidationIssues } from '@memelab/core';
import type { z } from 'zod';

/** Validates path parameters or a query string; problems are the client's: 400 with every issue. */
export const parseRequestPart = <Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  code: 'INVALID_QUERY' | 'INVALID_PATH',
): z.output<Schema> => {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new AppError(code, code === 'INVALID_QUERY' ? 'The query string is not valid.' : 'The URL is not valid.', {
    status: 400,
    issues: toValidationIssues(result.error),
  });
};
