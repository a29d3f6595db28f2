import { z } from 'zod';

/** Every problem with the environment, reported at once so one restart fixes them all. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment with an app's schema: typed, defaulted, validated and frozen.
 * Keys in the schema are the environment variable names. Empty strings count as unset,
 * as in most shells' `VAR= command` and in Compose files with blank values.
 */
export const loadConfig = <Schema extends z.ZodObject>(
  schema: Schema,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Readonly<z.output<Schema>> => {
  const input = Object.fromEntries(
    Object.keys(schema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]),
  );
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const key = issue.path.map(String).join('.') || '(environment)';
        const value = typeof issue.path[0] === 'string' ? env[issue.path[0]] : undefined;
        return `${key}: ${issue.message}${value === undefined ? '' : ` (got "${value}")`}`;
      }),
    );
  }
  return Object.freeze(result.data);
};

/** `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`, any case. */
export const envBoolean = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return fallback;
      const normalized = value.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(normalized)) return true;
      if (['false', '0', 'no', 'off'].includes(normalized)) return false;
      ctx.addIssue({ code: 'custom', message: 'expected true or false' });
      return z.NEVER;
    });

/** A whole number within bounds, from a string variable. */
export const envInt = (fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}) =>
  z.coerce
    .number()
    .int(`expected a whole number`)
    .min(min, `expected at least ${min}`)
    .max(max, `expected at most ${max}`)
    .default(fallback);

export const envPort = (fallback: number) => envInt(fallback, { min: 0, max: 65_535 });

export const envUrl = (protocols: readonly string[]) =>
  z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol.replace(/:$/, ''));
        } catch {
          return false;
        }
      },
      `expected a ${protocols.join(' or ')} URL`,
    )
    .optional();

export const envLogLevel = () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/** `json` or `pretty`; unset picks by whether stdout is a terminal. */
export const envLogFormat = () => z.enum(['json', 'pretty']).optional();

/** What every long-running role reads: its log level, and how long start-up and shutdown may take. */
export const processSettingsShape = {
  LOG_LEVEL: envLogLevel(),
  /** Pretty coloured lines or JSON; unset: pretty when stdout is a terminal, JSON otherwise. */
  LOG_FORMAT: envLogFormat(),
  /** How long start-up waits (with backoff) for the database, broker and object store. */
  STARTUP_TIMEOUT_MS: envInt(60_000, { min: 0, max: 3_600_000 }),
  /** Deadline for a graceful shutdown after SIGTERM. */
  SHUTDOWN_TIMEOUT_MS: envInt(25_000, { min: 1_000, max: 600_000 }),
  /** Version and source revision of the build, shown by the `*_build_info` metric (set by the image). */
  BUILD_VERSION: z.string().trim().min(1).max(64).default('dev'),
  BUILD_REVISION: z.string().trim().min(1).max(64).default('unknown'),
} as const;

export type ProcessSettings = z.output<z.ZodObject<typeof processSettingsShape>>;
