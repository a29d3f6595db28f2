import pg from 'pg';
import { type Database, DatabaseBusyError, type PoolStats, type QueryResult } from './database.port.ts';
import type { ScriptExecutor } from './script-executor.ts';
import { TransactionLifetime, TransactionScope } from './transaction-scope.ts';

export interface PostgresOptions {
  /** `postgres://user:password@host:port/database` */
  readonly url: string;
  readonly maxConnections?: number;
  /** Server-side limit for each statement; none when undefined. */
  readonly statementTimeoutMs?: number;
  /** How long to wait for a connection, new or from the pool, before failing. */
  readonly connectionTimeoutMs?: number;
  /** How long `ping` waits for an answer before failing. */
  readonly pingTimeoutMs?: number;
  /**
   * Called with connection errors that belong to no query, such as the server closing an
   * idle connection when it restarts. The pool drops the connection and opens a new one
   * on demand. Logged to stderr when absent.
   */
  readonly onError?: (error: Error) => void;
}

const DEFAULT_MAX_CONNECTIONS = 10;
const DEFAULT_CONNECTION_TIMEOUT_MS = 5_000;
const DEFAULT_PING_TIMEOUT_MS = 2_000;
// pg-pool's error when a caller waited connectionTimeoutMillis for a connection (pg-pool 3.x).
const POOL_WAIT_TIMEOUT_MESSAGE = 'timeout exceeded when trying to connect';
const INT8_OID = 20;
const INT8_ARRAY_OID = 1016;

/**
 * A PostgreSQL server through a node-postgres pool (distributed mode). Values come back
 * as PGlite returns them, so repositories behave the same in both modes: `jsonb` as
 * objects, `timestamptz` as Date, `integer` as number and `bigint` (including `count(*)`)
 * as number when it fits in one exactly, as bigint when it does not.
 *
 * Statements always use the extended protocol, as on PGlite: one statement per query.
 * Parameterised statements without `*` are prepared once per connection (see `preparedName`).
 */
export class PostgresDatabase implements Database {
  readonly kind = 'postgres';
  readonly #pool: pg.Pool;
  readonly #pingTimeoutMs: number;
  readonly #maxConnections: number;
  readonly #connectionTimeoutMs: number;
  readonly #onError: (error: Error) => void;
  readonly #scope = new TransactionScope();
  #closing: Promise<void> | undefined;

  constructor(options: PostgresOptions) {
    this.#onError = options.onError ?? logPoolError;
    this.#pingTimeoutMs = options.pingTimeoutMs ?? DEFAULT_PING_TIMEOUT_MS;
    this.#maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    this.#connectionTimeoutMs = options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS;
    this.#pool = new pg.Pool({
      connectionString: options.url,
      max: this.#maxConnections,
      connectionTimeoutMillis: this.#connectionTimeoutMs,
      statement_timeout: options.statementTimeoutMs ?? false,
      // Notices a server that vanished without closing the connection (a powered-off node).
      keepAlive: true,
      types: pgliteCompatibleTypes(),
    });
    // Without a listener, an idle connection dropped by the server would be an
    // unhandled 'error' event and end the process.
    this.#pool.on('error', (error) => this.#report(error));
  }

  async query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    this.#scope.assertOutside('query');
    // Not pool.query(): it closes the connection after any error, so every statement the
    // server refuses (a constraint violation, a timeout) would cost a new backend.
    return this.#withClient(
      async (client) => toQueryResult<Row>(await client.query(statement(sql, params))),
      // The server's refusal leaves the connection usable; anything else (a broken socket) does not.
      async (_client, error) => (error instanceof pg.DatabaseError ? undefined : asError(error)),
    );
  }

  /** The pool's connections right now, for metrics. */
  poolStats(): PoolStats {
    return {
      total: this.#pool.totalCount,
      idle: this.#pool.idleCount,
      waiting: this.#pool.waitingCount,
      max: this.#maxConnections,
    };
  }

  /** Runs a script of several statements; they commit together unless it controls its own transactions. */
  async execScript(sql: string): Promise<void> {
    this.#scope.assertOutside('execScript');
    await this.#pool.query(sql);
  }

  async transaction<T>(work: (tx: ScriptExecutor) => Promise<T>): Promise<T> {
    this.#scope.assertOutside('transaction');
    return this.#withClient(
      (client) => this.#scope.run(() => runInTransaction(client, work)),
      (client) =>
        client.query('ROLLBACK').then(
          () => undefined,
          (rollbackError: unknown) => asError(rollbackError),
        ),
    );
  }

  /**
   * Checks out a connection for `use` and gives it back, destroyed instead of reused when it
   * broke meanwhile: the server dropped it (reported to the error hook; a checked-out client
   * has no pool listener, and an unhandled 'error' event would end the process), or `use`
   * failed and `afterFailure` says the connection is no longer fit (it may also clean up).
   */
  async #withClient<T>(
    use: (client: pg.PoolClient) => Promise<T>,
    afterFailure: (client: pg.PoolClient, error: unknown) => Promise<Error | undefined>,
  ): Promise<T> {
    const client = await this.#pool.connect().catch((error: unknown) => {
      throw this.#busyOr(error);
    });
    let brokenBy: Error | undefined;
    const onClientError = (error: Error): void => {
      brokenBy = error;
      this.#report(error);
    };
    client.on('error', onClientError);
    try {
      return await use(client);
    } catch (error) {
      const unfit = await afterFailure(client, error);
      brokenBy ??= unfit;
      throw error;
    } finally {
      client.off('error', onClientError);
      // Releasing with an error destroys the connection instead of reusing it.
      client.release(brokenBy);
    }
  }

  async ping(): Promise<void> {
    const answer = this.#pool.query('SELECT 1');
    await withTimeout(answer, this.#pingTimeoutMs, `PostgreSQL did not answer within ${this.#pingTimeoutMs} ms`);
  }

  close(): Promise<void> {
    this.#closing ??= this.#pool.end();
    return this.#closing;
  }

  /** pg-pool's wait for a free connection timing out becomes a DatabaseBusyError. */
  #busyOr(error: unknown): unknown {
    const waitedTooLong =
      error instanceof Error &&
      error.message === POOL_WAIT_TIMEOUT_MESSAGE &&
      this.#pool.totalCount >= this.#maxConnections;
    return waitedTooLong ? new DatabaseBusyError(this.#connectionTimeoutMs, { cause: error }) : error;
  }

  #report(error: Error): void {
    try {
      this.#onError(error);
    } catch (hookError) {
      // The hook runs inside an event emitter; throwing there would end the process.
      logPoolError(error);
      logPoolError(asError(hookError));
    }
  }
}

/** Connects lazily: the first query opens the first connection, so the server may start later. */
export async function openPostgresDatabase(options: PostgresOptions): Promise<PostgresDatabase> {
  return new PostgresDatabase(options);
}

class PostgresTransactionExecutor implements ScriptExecutor {
  readonly #client: pg.PoolClient;
  readonly #lifetime: TransactionLifetime;

  constructor(client: pg.PoolClient, lifetime: TransactionLifetime) {
    this.#client = client;
    this.#lifetime = lifetime;
  }

  async query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    this.#lifetime.assertOpen();
    return toQueryResult<Row>(await this.#client.query(statement(sql, params)));
  }

  async execScript(sql: string): Promise<void> {
    this.#lifetime.assertOpen();
    await this.#client.query(sql);
  }
}

async function runInTransaction<T>(client: pg.PoolClient, work: (tx: ScriptExecutor) => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  const lifetime = new TransactionLifetime();
  let result: T;
  try {
    result = await work(new PostgresTransactionExecutor(client, lifetime));
  } finally {
    lifetime.finish();
  }
  await commit(client);
  return result;
}

async function commit(client: pg.PoolClient): Promise<void> {
  const outcome = await client.query('COMMIT');
  // PostgreSQL answers COMMIT of a transaction in which a statement failed with a
  // rollback, not an error; work that swallowed that failure must not look committed.
  if (outcome.command === 'ROLLBACK') {
    throw new Error('The transaction was rolled back because one of its statements failed');
  }
}

interface ExtendedQueryConfig extends pg.QueryConfig {
  readonly queryMode: 'extended';
}

/** Statements kept prepared; the rest run unnamed, so a statement built on the fly cannot grow the server's memory. */
const MAX_PREPARED_STATEMENTS = 200;
const preparedNames = new Map<string, string>();

/**
 * The name a statement is prepared under on each connection, or undefined to run it
 * unnamed. A prepared statement is parsed and planned once per connection instead of on
 * every call, which is most of the server's work for the short statements of the meme
 * pipeline. Statements with `*` in them are left unnamed: a prepared `SELECT *` or
 * `RETURNING *` fails with "cached plan must not change result type" once a rolling
 * migration adds a column, so hot statements name their columns.
 */
function preparedName(sql: string): string | undefined {
  const known = preparedNames.get(sql);
  if (known !== undefined) return known;
  if (sql.includes('*') || preparedNames.size >= MAX_PREPARED_STATEMENTS) return undefined;
  const name = `memelab_${preparedNames.size + 1}`;
  preparedNames.set(sql, name);
  return name;
}

function statement(sql: string, params: readonly unknown[] | undefined): ExtendedQueryConfig {
  if (params === undefined) return { text: sql, queryMode: 'extended' };
  const name = preparedName(sql);
  const config: ExtendedQueryConfig = { text: sql, queryMode: 'extended', values: [...params] };
  return name === undefined ? config : { ...config, name };
}

function toQueryResult<Row>(result: pg.QueryResult): QueryResult<Row> {
  const rows: Row[] = result.rows;
  return { rows, rowCount: result.rowCount ?? rows.length };
}

function pgliteCompatibleTypes(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, 'text', parseInt8);
  // The typings declare a text parser's argument as a number; pg passes the column's text.
  const parseTextArray = types.getTypeParser(INT8_ARRAY_OID, 'text') as unknown as (text: string) => unknown;
  types.setTypeParser(INT8_ARRAY_OID, 'text', (text: string) => parseInt8Elements(parseTextArray(text)));
  return types;
}

/** pg splits a bigint[] into (possibly nested) arrays of strings; convert each element like a bigint. */
function parseInt8Elements(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(parseInt8Elements);
  return typeof value === 'string' ? parseInt8(value) : value;
}

function parseInt8(text: string): number | bigint {
  const value = BigInt(text);
  const exact = value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER);
  return exact ? Number(value) : value;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

function logPoolError(error: Error): void {
  console.error(`PostgreSQL connection error: ${error.message}`);
}
