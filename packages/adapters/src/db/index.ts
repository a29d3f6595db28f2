export { type DatabaseConfig, type DatabaseHooks, openDatabase } from './database.factory.ts';
export type { Database, QueryResult, SqlExecutor } from './database.port.ts';
export { type MigrationOptions, runMigrations } from './migrations.ts';
export { openPgliteDatabase, PgliteDatabase } from './pglite.adapter.ts';
export { openPostgresDatabase, PostgresDatabase, type PostgresOptions } from './postgres.adapter.ts';
