import type { Database } from './database.port.ts';
import type { PgliteExtensionName } from './pglite.adapter.ts';

export interface DatabaseConfig {
  /** A PostgreSQL server (distributed mode); takes precedence over `dataDir`. */
  readonly databaseUrl?: string;
  /** The embedded database's directory; in memory when this and `databaseUrl` are unset. */
  readonly dataDir?: string;
  readonly maxConnections?: number;
  readonly statementTimeoutMs?: number;
  /** How long a caller waits for a pooled connection (PostgreSQL only). */
  readonly connectionTimeoutMs?: number;
  /** Contrib extensions the embedded database loads, for migrations that create them. */
  readonly pgliteExtensions?: readonly PgliteExtensionName[];
}

export interface DatabaseHooks {
  /** Connection errors that belong to no query (PostgreSQL only). */
  readonly onError?: (error: Error) => void;
}

/**
 * Opens PostgreSQL when `databaseUrl` is set, otherwise the embedded PGlite database. Each
 * driver is imported only when chosen: a process that uses one does not load the other.
 */
export async function openDatabase(config: DatabaseConfig, hooks: DatabaseHooks = {}): Promise<Database> {
  if (config.databaseUrl === undefined || config.databaseUrl === '') {
    const { openPgliteDatabase } = await import('./pglite.adapter.ts');
    return openPgliteDatabase(config.dataDir, { extensions: config.pgliteExtensions ?? [] });
  }
  const { openPostgresDatabase } = await import('./postgres.adapter.ts');
  return openPostgresDatabase({
    url: config.databaseUrl,
    maxConnections: config.maxConnections,
    statementTimeoutMs: config.statementTimeoutMs,
    connectionTimeoutMs: config.connectionTimeoutMs,
    onError: hooks.onError,
  });
}
