import { envBoolean, envInt, envPort, envUrl, loadConfig, processSettingsShape } from '@memelab/platform';
import { z } from 'zod';

/** healthcare-api's settings, from the environment; docs/configuration.md describes each. */
export const healthcareConfigSchema = z.object({
  PORT: envPort(8090),
  HOST: z.string().default('0.0.0.0'),
  ...processSettingsShape,
  /** PostgreSQL; the embedded database in DATA_DIR when unset. */
  DATABASE_URL: envUrl(['postgres', 'postgresql']),
  /** The embedded database's directory (PGlite), used when DATABASE_URL is unset. */
  DATA_DIR: z.string().default('.data/healthcare'),
  /** Connections in the pool; requests beyond them wait up to DB_POOL_WAIT_TIMEOUT_MS. */
  DB_POOL_MAX: envInt(10, { min: 1, max: 200 }),
  /** How long a request waits for a free connection before it is refused with 503. */
  DB_POOL_WAIT_TIMEOUT_MS: envInt(1_000, { min: 10, max: 60_000 }),
  /** Server-side limit for each statement. */
  DB_STATEMENT_TIMEOUT_MS: envInt(5_000, { min: 100, max: 600_000 }),
  /** Seconds a client is told to wait (Retry-After) when the pool is exhausted. */
  RETRY_AFTER_SECONDS: envInt(1, { min: 1, max: 3_600 }),
  /** Apply migrations on start; by default only with the embedded database (PostgreSQL uses `migrate`). */
  MIGRATE_ON_START: envBoolean(false).optional(),
  /** `migrate` only: the login role the service connects as, granted the service's privileges. */
  DB_SERVICE_ROLE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'expected a lower-case PostgreSQL role name')
    .optional(),
  /** `migrate` only: that role's password, set when the role is created. */
  DB_SERVICE_PASSWORD: z.string().min(12, 'use at least 12 characters').optional(),
  /** Largest request body. */
  BODY_LIMIT_BYTES: envInt(64 * 1024, { min: 1_024, max: 10 * 1024 * 1024 }),
  /** How long a checked API key is remembered; a revoked key stops working within this. */
  API_KEY_CACHE_TTL_MS: envInt(30_000, { min: 0, max: 3_600_000 }),
  /** Trust X-Forwarded-For from a reverse proxy. */
  TRUST_PROXY: envBoolean(false),
});

export type HealthcareConfig = z.output<typeof healthcareConfigSchema>;

export const loadHealthcareConfig = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): HealthcareConfig => loadConfig(healthcareConfigSchema, env);
