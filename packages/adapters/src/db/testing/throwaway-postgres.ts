import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface ThrowawayDatabase {
  /** The database's name, `memelab_test_` and a random suffix. */
  readonly name: string;
  /** Connection URL of the new, empty database. */
  readonly url: string;
  /** Empties the database again (drops and recreates the `public` schema) between tests. */
  reset(): Promise<void>;
  /** Disconnects everyone still connected and drops the database; safe to call twice. */
  drop(): Promise<void>;
}

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The maintenance database used to create and drop throwaway ones (`TEST_DATABASE_URL`). */
export function adminDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? DEFAULT_ADMIN_URL;
}

/**
 * Creates an empty database with a random name on the test server, so test files running
 * in parallel, or a run interrupted earlier, never share state.
 */
export async function createThrowawayDatabase(): Promise<ThrowawayDatabase> {
  const name = `memelab_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/${name}`;
  let dropping: Promise<void> | undefined;
  return {
    name,
    url: url.toString(),
    reset: () => resetSchema(url.toString()),
    drop() {
      dropping ??= dropDatabase(name);
      return dropping;
    },
  };
}

/** Runs `work` on a fresh connection to the maintenance database and closes it afterwards. */
export async function withAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

async function dropDatabase(name: string): Promise<void> {
  await withAdmin(async (admin) => {
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

async function resetSchema(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  } finally {
    await client.end();
  }
}
