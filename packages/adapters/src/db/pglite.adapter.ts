import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite, type Results, type Transaction } from '@electric-sql/pglite';
import { lockDataDir } from './data-dir-lock.ts';
import type { Database, QueryResult } from './database.port.ts';
import type { ScriptExecutor } from './script-executor.ts';
import { TransactionLifetime, TransactionScope } from './transaction-scope.ts';

/**
 * The embedded database: PostgreSQL compiled to WebAssembly, running in this process on a
 * data directory (or in memory). It has a single connection, so PGlite queues every query
 * and holds the queue for the whole of a transaction: concurrent callers simply wait.
 */
export class PgliteDatabase implements Database {
  readonly kind = 'pglite';
  readonly #pg: PGlite;
  readonly #scope = new TransactionScope();
  readonly #afterClose: () => Promise<void>;
  #closing: Promise<void> | undefined;

  /** `afterClose` runs once PGlite has shut down, e.g. to give the data directory back. */
  constructor(pg: PGlite, afterClose: () => Promise<void> = async () => {}) {
    this.#pg = pg;
    this.#afterClose = afterClose;
  }

  async query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    this.#scope.assertOutside('query');
    return toQueryResult(await this.#pg.query<Row>(sql, toDriverParams(params)));
  }

  /** Runs a script of several statements; they commit together unless it controls its own transactions. */
  async execScript(sql: string): Promise<void> {
    this.#scope.assertOutside('execScript');
    await this.#pg.exec(sql);
  }

  async transaction<T>(work: (tx: ScriptExecutor) => Promise<T>): Promise<T> {
    this.#scope.assertOutside('transaction');
    return this.#scope.run(() => this.#pg.transaction((tx) => runWork(tx, work)));
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  close(): Promise<void> {
    this.#closing ??= this.#pg.close().then(this.#afterClose);
    return this.#closing;
  }
}

/**
 * Opens the embedded database in `dataDir` (created if missing), or in memory when it is
 * undefined. Only one open database at a time may use a directory, across processes too.
 */
export async function openPgliteDatabase(dataDir: string | undefined): Promise<PgliteDatabase> {
  if (dataDir === undefined) return new PgliteDatabase(await PGlite.create());
  const directory = path.resolve(dataDir);
  await mkdir(directory, { recursive: true });
  const unlock = await lockDataDir(directory);
  try {
    return new PgliteDatabase(await PGlite.create(directory), unlock);
  } catch (error) {
    await unlock();
    throw error;
  }
}

class PgliteTransactionExecutor implements ScriptExecutor {
  readonly #tx: Transaction;
  readonly #lifetime: TransactionLifetime;

  constructor(tx: Transaction, lifetime: TransactionLifetime) {
    this.#tx = tx;
    this.#lifetime = lifetime;
  }

  async query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    this.#lifetime.assertOpen();
    return toQueryResult(await this.#tx.query<Row>(sql, toDriverParams(params)));
  }

  async execScript(sql: string): Promise<void> {
    this.#lifetime.assertOpen();
    await this.#tx.exec(sql);
  }
}

async function runWork<T>(tx: Transaction, work: (tx: ScriptExecutor) => Promise<T>): Promise<T> {
  const lifetime = new TransactionLifetime();
  try {
    return await work(new PgliteTransactionExecutor(tx, lifetime));
  } finally {
    lifetime.finish();
  }
}

function toDriverParams(params: readonly unknown[] | undefined): unknown[] | undefined {
  return params === undefined ? undefined : [...params];
}

function toQueryResult<Row>(result: Results<Row>): QueryResult<Row> {
  // `rowCount` comes from the command tag (rows selected, inserted, updated, deleted);
  // statements without a count, such as DDL, report none.
  return { rows: result.rows, rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length };
}
