/**
 * The database port. The domain's repositories speak plain SQL (PostgreSQL dialect) through
 * it; adapters hold the drivers: PGlite (PostgreSQL compiled to WASM, embedded mode) and
 * node-postgres (a real server, distributed mode). The same migrations run on both.
 */
export interface QueryResult<Row> {
  readonly rows: Row[];
  /** Rows inserted, updated, deleted or returned. */
  readonly rowCount: number;
}

export interface SqlExecutor {
  /** Runs one statement with `$1`-style parameters. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
}

export interface Database extends SqlExecutor {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query; used by readiness. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A connection pool's state: connections open, of those idle, callers waiting, and the bound. */
export interface PoolStats {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
  readonly max: number;
}

/**
 * No connection became free within the pool's wait timeout: the database is busy, not
 * broken, and the caller should shed the request (503 with Retry-After) rather than queue.
 */
export class DatabaseBusyError extends Error {
  constructor(waitedMs: number, options?: ErrorOptions) {
    super(`No database connection became free within ${waitedMs} ms`, options);
    this.name = 'DatabaseBusyError';
  }
}
