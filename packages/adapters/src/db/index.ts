export { type DatabaseConfig, type DatabaseHooks, openDatabase } from './database.factory.ts';
export {
  type Database,
  DatabaseBusyError,
  type PoolStats,
  type QueryResult,
  type SqlExecutor,
} from './database.port.ts';
export { type MigrationOptions, runMigrations } from './migrations.ts';
export { openPgliteDatabase, PgliteDatabase, type PgliteExtensionName } from './pglite.adapter.ts';
// PostgreSQL itself is `@memelab/adapters/postgres`, so that importing this loads no pg.
export type { PostgresOptions } from './postgres.adapter.ts';
export { type BatcherOptions, StatementBatcher } from './statement.batcher.ts';
