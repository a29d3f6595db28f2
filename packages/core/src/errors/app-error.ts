/**
 * The one error type the product raises on purpose. `code` is stable and part of the public
 * contract (clients switch on it); `status` is the HTTP status it maps to; `operational`
 * separates expected failures (bad input, a missing row) from programmer errors that
 * should crash loudly in tests and be reported as 500 in production.
 */
export interface AppErrorOptions {
  readonly status: number;
  readonly detail?: string;
  readonly operational?: boolean;
  readonly issues?: readonly ValidationIssue[];
  readonly cause?: unknown;
}

export interface ValidationIssue {
  /** Dotted path to the offending field, e.g. `captions.2`. Empty for the whole input. */
  readonly path: string;
  readonly message: string;
}

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly operational: boolean;
  readonly issues: readonly ValidationIssue[];

  constructor(code: string, message: string, options: AppErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status;
    this.operational = options.operational ?? true;
    this.issues = options.issues ?? [];
  }
}

export const isAppError = (value: unknown): value is AppError => value instanceof AppError;

export const validationError = (code: string, message: string, issues: readonly ValidationIssue[]): AppError =>
  new AppError(code, message, { status: 422, issues });
