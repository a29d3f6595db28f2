import { readdir, readFile } from 'node:fs/promises';
import type { Database, SqlExecutor } from './database.port.ts';
import { requireScriptExecutor } from './script-executor.ts';

export interface MigrationOptions {
  readonly log?: (message: string) => void;
  /** A directory of `NNNN_name.sql` files; the bundled migrations when absent. */
  readonly directory?: URL;
}

interface Migration {
  /** The file name without `.sql`, e.g. `0001_initial`; recorded in `schema_migrations`. */
  readonly version: string;
  readonly sql: string;
}

const BUNDLED_MIGRATIONS = new URL('./migrations/', import.meta.url);
const MIGRATION_FILE = /^(\d{4})_[a-z0-9_]+\.sql$/;
// Every process migrating the same database must use the same key; the value is arbitrary.
const MIGRATION_LOCK_KEY = '5296403171';

const CREATE_SCHEMA_MIGRATIONS = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version    text PRIMARY KEY,
    applied_at timestamptz DEFAULT now()
  )`;

/**
 * Brings the schema up to date: applies, in order, every migration not yet recorded in
 * `schema_migrations`, each in its own transaction together with its record, and returns
 * the versions it applied. On PostgreSQL an advisory lock makes processes that start
 * together (api and workers) take turns, so each migration runs exactly once.
 */
export async function runMigrations(db: Database, options: MigrationOptions = {}): Promise<string[]> {
  const log = options.log ?? ignore;
  const migrations = await readMigrations(options.directory ?? BUNDLED_MIGRATIONS);
  await db.transaction(async (tx) => {
    await lockMigrations(db, tx);
    await tx.query(CREATE_SCHEMA_MIGRATIONS);
  });
  const recorded = await recordedVersions(db);
  reportUnknownVersions(recorded, migrations, log);
  const applied: string[] = [];
  for (const migration of migrations) {
    if (recorded.has(migration.version)) continue;
    if (await applyMigration(db, migration)) {
      applied.push(migration.version);
      log(`Applied migration ${migration.version}`);
    }
  }
  return applied;
}

async function readMigrations(location: URL): Promise<Migration[]> {
  const directory = location.href.endsWith('/') ? location : new URL(`${location.href}/`);
  const files = (await readdir(directory)).filter((name) => name.endsWith('.sql')).sort();
  const byNumber = new Map<string, string>();
  const migrations: Migration[] = [];
  for (const file of files) {
    const number = MIGRATION_FILE.exec(file)?.[1];
    if (number === undefined) {
      throw new Error(`Migration file ${file} is not named NNNN_name.sql (four digits, lower-case name)`);
    }
    const clash = byNumber.get(number);
    if (clash !== undefined) throw new Error(`Migrations ${clash} and ${file} share the number ${number}`);
    byNumber.set(number, file);
    migrations.push({ version: file.slice(0, -'.sql'.length), sql: await readFile(new URL(file, directory), 'utf8') });
  }
  return migrations;
}

/** Applies one migration unless another process applied it first; true when this call applied it. */
function applyMigration(db: Database, migration: Migration): Promise<boolean> {
  return db.transaction(async (tx) => {
    await lockMigrations(db, tx);
    const existing = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
    if (existing.rowCount > 0) return false;
    await requireScriptExecutor(tx).execScript(migration.sql);
    await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [migration.version]);
    return true;
  });
}

/** Holds the migration lock until the transaction ends; PGlite has one connection and needs none. */
async function lockMigrations(db: Database, tx: SqlExecutor): Promise<void> {
  if (db.kind === 'pglite') return;
  // Waiting for another process's migration, or running a long one, is not a stuck statement.
  await tx.query('SET LOCAL statement_timeout = 0');
  await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
}

async function recordedVersions(db: Database): Promise<Set<string>> {
  const { rows } = await db.query<{ version: string }>('SELECT version FROM schema_migrations');
  return new Set(rows.map((row) => row.version));
}

/** A database migrated by a newer release still works with this one; say so rather than fail. */
function reportUnknownVersions(recorded: Set<string>, migrations: Migration[], log: (message: string) => void): void {
  const known = new Set(migrations.map((migration) => migration.version));
  for (const version of [...recorded].sort()) {
    if (!known.has(version)) log(`The database has migration ${version}, which this release does not know`);
  }
}

function ignore(): void {}
