import type { z } from 'zod';
import { type AppError, type ValidationIssue, validationError } from './app-error.ts';

export const toValidationIssues = (error: z.ZodError): ValidationIssue[] =>
  error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));

/** Parses `input`, reporting every problem at once as one 422 AppError with `code`. */
export const parseOrThrow = <Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  code: string,
  message: string,
): z.output<Schema> => {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw invalid(code, message, result.error);
};

const invalid = (code: string, message: string, error: z.ZodError): AppError =>
  validationError(code, message, toValidationIssues(error));
