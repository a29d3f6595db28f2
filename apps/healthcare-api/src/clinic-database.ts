import { type Database, DatabaseBusyError, openDatabase } from '@memelab/adapters';
import { migrateClinic } from '@memelab/clinic';
import { type Logger, retryWithBackoff } from '@memelab/platform';
import type { HealthcareConfig } from './healthcare.config.ts';

export type DatabaseSettings = Pick<
  HealthcareConfig,
  | 'DATABASE_URL'
  | 'DATA_DIR'
  | 'DB_POOL_MAX'
  | 'DB_POOL_WAIT_TIMEOUT_MS'
  | 'DB_STATEMENT_TIMEOUT_MS'
  | 'STARTUP_TIMEOUT_MS'
  | 'MIGRATE_ON_START'
>;

/**
 * Opens the clinic's database (PostgreSQL with DATABASE_URL, otherwise PGlite in DATA_DIR
 * with btree_gist for the no-double-booking constraint), waits for it with backoff, and
 * migrates it when asked (by default only the embedded one: with PostgreSQL the `migrate`
 * command runs once, as the schema owner, before the service starts).
 */
export async function openClinicDatabase(
  config: DatabaseSettings,
  logger: Logger,
  options: { readonly migrate?: boolean } = {},
): Promise<Database> {
  const db = await openDatabase(
    {
      ...(config.DATABASE_URL === undefined ? { dataDir: config.DATA_DIR } : { databaseUrl: config.DATABASE_URL }),
      maxConnections: config.DB_POOL_MAX,
      connectionTimeoutMs: config.DB_POOL_WAIT_TIMEOUT_MS,
      statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
      pgliteExtensions: ['btree_gist'],
    },
    { onError: (error) => logger.warn({ code: (error as { code?: unknown }).code }, 'database connection error') },
  );
  try {
    await retryWithBackoff(() => db.ping(), {
      timeoutMs: config.STARTUP_TIMEOUT_MS,
      onRetry: (_error, attempt, delayMs) => logger.warn({ attempt, delayMs }, 'database not reachable yet; retrying'),
    });
    const migrate = options.migrate ?? config.MIGRATE_ON_START ?? db.kind === 'pglite';
    if (migrate) {
      const applied = await migrateClinic(db, { log: (message) => logger.info(message) });
      if (applied.length > 0) logger.info({ applied }, 'database migrated');
    }
    await requireSchema(db);
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}

async function requireSchema(db: Database): Promise<void> {
  const { rows } = await db.query<{ ready: boolean }>("SELECT to_regclass('audit_event') IS NOT NULL AS ready");
  if (rows[0]?.ready !== true) {
    throw new Error('The database has no healthcare-api schema yet: run `healthcare-api migrate` first');
  }
}

/** Readiness: the database answers. An exhausted pool still means reachable, just busy. */
export const databaseReachable = (db: Database) => async (): Promise<void> => {
  try {
    await db.ping();
  } catch (error) {
    if (!(error instanceof DatabaseBusyError)) throw error;
  }
};
