import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Extensions, PGlite, Results, Transaction } from '@electric-sql/pglite';
import { DATA_DIR_LOCK_FILE, lockDataDir } from './data-dir-lock.ts';
import type { Database, QueryResult } from './database.port.ts';
import { loadPgliteSnapshot, unpackPgliteSnapshot } from './pglite-snapshot.ts';
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
 * PGlite's own start parameters plus smaller shared memory: PostgreSQL zeroes all of it as it
 * starts, which in WebAssembly took 0.6 s of a 1.8 s open with the 128 MB initdb default. A
 * single-connection database of a few hundred MB runs as fast on 16 MB of buffers (pages it
 * evicts stay in the OS page cache); `max_connections` sizes the lock and process tables for
 * backends that single-user mode never starts.
 */
export const pgliteStartParams = async (): Promise<string[]> => [
  ...(await loadPglite()).PGlite.defaultStartParams,
  ...['-c', 'shared_buffers=16MB', '-c', 'max_connections=8'],
];

/**
 * Opens the embedded database in `dataDir` (created if missing), or in memory when it is
 * undefined. Only one open database at a time may use a directory, across processes too.
 */
export async function openPgliteDatabase(
  dataDir: string | undefined,
  options: { readonly extensions?: readonly PgliteExtensionName[] } = {},
): Promise<PgliteDatabase> {
  if (dataDir === undefined) {
    const { PGlite } = await loadPglite();
    const extensions = await loadExtensions(options.extensions ?? []);
    const startParams = await pgliteStartParams();
    const pg = await createFromSnapshot((loadDataDir) => PGlite.create({ extensions, loadDataDir, startParams }));
    return new PgliteDatabase(pg);
  }
  const directory = path.resolve(dataDir);
  const pglite = loadPglite();
  // Awaited below; until then a rejection must not count as unhandled.
  pglite.catch(() => undefined);
  try {
    await mkdir(directory, { recursive: true });
  } catch (error) {
    // Where PGlite is not installed (the container images), saying so beats a failed mkdir.
    await pglite;
    throw error;
  }
  const unlock = await lockDataDir(directory);
  try {
    // A new directory is unpacked from the snapshot while PGlite's modules load.
    const [{ PGlite }, extensions, startParams, unpacked] = await Promise.all([
      pglite,
      loadExtensions(options.extensions ?? []),
      pgliteStartParams(),
      existsSync(path.join(directory, 'PG_VERSION')) ? false : unpackSnapshot(directory),
    ]);
    const create = () => PGlite.create(directory, { extensions, startParams });
    if (!unpacked) return new PgliteDatabase(await create(), unlock);
    try {
      return new PgliteDatabase(await create(), unlock);
    } catch (error) {
      process.emitWarning(`The PGlite snapshot did not load (${String(error)}); initialising the database instead`);
      await clearDataDir(directory);
      return new PgliteDatabase(await create(), unlock);
    }
  } catch (error) {
    await unlock();
    throw error;
  }
}

/**
 * Unpacks the initdb snapshot into a directory that holds no database yet (what an earlier
 * unpack left halfway is cleared first); false when there is no snapshot, so PGlite runs initdb.
 */
async function unpackSnapshot(directory: string): Promise<boolean> {
  await clearDataDir(directory);
  try {
    return await unpackPgliteSnapshot(directory);
  } catch (error) {
    process.emitWarning(
      `The PGlite snapshot could not be unpacked (${String(error)}); initialising the database instead`,
    );
    await clearDataDir(directory);
    return false;
  }
}

/**
 * A database in memory starts from the shipped initdb snapshot rather than running initdb. A
 * snapshot this PGlite cannot open (one written by another PostgreSQL version) is not
 * fatal: initdb runs after all.
 */
async function createFromSnapshot(create: (loadDataDir: Blob | undefined) => Promise<PGlite>): Promise<PGlite> {
  const snapshot = await loadPgliteSnapshot();
  if (snapshot === undefined) return create(undefined);
  try {
    return await create(snapshot);
  } catch (error) {
    process.emitWarning(`The PGlite snapshot did not load (${String(error)}); initialising the database instead`);
    return create(undefined);
  }
}

/** Everything in a data directory that PGlite wrote, keeping the lock that guards it. */
async function clearDataDir(directory: string): Promise<void> {
  for (const entry of await readdir(directory)) {
    if (entry !== DATA_DIR_LOCK_FILE) await rm(path.join(directory, entry), { recursive: true, force: true });
  }
}

/**
 * PGlite is loaded only when the embedded database is used, so that processes that use
 * PostgreSQL do without it: the container images leave it out.
 */
const loadPglite = async (): Promise<typeof import('@electric-sql/pglite')> => {
  try {
    return await import('@electric-sql/pglite');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new Error(
      'The embedded database (PGlite) is not installed here, as in the container images: set DATABASE_URL to use PostgreSQL.',
      { cause: error },
    );
  }
};

/**
 * PostgreSQL contrib extensions PGlite ships as separate modules; a migration's
 * `CREATE EXTENSION` finds only those loaded when the database opens.
 */
export type PgliteExtensionName = 'btree_gist';

const loadExtensions = async (names: readonly PgliteExtensionName[]): Promise<Extensions> => {
  const extensions: Extensions = {};
  for (const name of names) {
    switch (name) {
      case 'btree_gist':
        extensions[name] = (await import('@electric-sql/pglite/contrib/btree_gist')).btree_gist;
        break;
    }
  }
  return extensions;
};

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
