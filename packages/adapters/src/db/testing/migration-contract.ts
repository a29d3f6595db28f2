import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../database.port.ts';
import { runMigrations } from '../migrations.ts';

/** What `runMigrations` promises on every adapter; `open` returns a database with an empty schema. */
export function describeMigrationContract(open: () => Promise<Database>): void {
  let db: Database;
  let folder: string;
  let directory: URL;

  beforeEach(async () => {
    db = await open();
    folder = await mkdtemp(path.join(tmpdir(), 'memelab-migrations-'));
    directory = pathToFileURL(folder);
  });

  afterEach(async () => {
    await db.close();
    await rm(folder, { recursive: true, force: true });
  });

  async function writeMigration(name: string, sql: string): Promise<void> {
    await writeFile(path.join(folder, name), sql);
  }

  describe('the bundled migrations', () => {
    it('create the tables and record each version', async () => {
      const applied = await runMigrations(db);

      expect(applied).toEqual(['0001_initial', '0002_publish_confirmation']);
      expect(await tables(db)).toEqual(['backgrounds', 'memes', 'schema_migrations', 'templates']);
      expect(await recorded(db)).toEqual(['0001_initial', '0002_publish_confirmation']);
    });

    it('apply nothing on a second run and leave the records as they were', async () => {
      await runMigrations(db);
      const before = await db.query('SELECT version, applied_at FROM schema_migrations');

      const applied = await runMigrations(db);

      expect(applied).toEqual([]);
      expect((await db.query('SELECT version, applied_at FROM schema_migrations')).rows).toEqual(before.rows);
    });
  });

  it('applies migrations in file order, running every statement of each file', async () => {
    await writeMigration('0010_seed.sql', "INSERT INTO steps (name, note) VALUES ('seed', 'third');");
    await writeMigration('0001_steps.sql', 'CREATE TABLE steps (name text PRIMARY KEY);');
    await writeMigration(
      '0002_notes.sql',
      `ALTER TABLE steps ADD COLUMN note text;
       DO $$ BEGIN INSERT INTO steps (name, note) VALUES ('do-block', 'second; with a semicolon'); END $$;`,
    );
    await writeMigration('README.md', 'Not a migration.');

    const applied = await runMigrations(db, { directory });

    expect(applied).toEqual(['0001_steps', '0002_notes', '0010_seed']);
    expect((await db.query('SELECT name, note FROM steps ORDER BY name')).rows).toEqual([
      { name: 'do-block', note: 'second; with a semicolon' },
      { name: 'seed', note: 'third' },
    ]);
  });

  it('applies only the migrations added since the last run', async () => {
    await writeMigration('0001_steps.sql', 'CREATE TABLE steps (name text PRIMARY KEY);');
    await runMigrations(db, { directory });
    await writeMigration('0002_seed.sql', "INSERT INTO steps VALUES ('added later');");

    const applied = await runMigrations(db, { directory });

    expect(applied).toEqual(['0002_seed']);
    expect(await recorded(db)).toEqual(['0001_steps', '0002_seed']);
  });

  it('rolls back a failing migration whole, keeps the earlier ones and retries it next run', async () => {
    await writeMigration('0001_steps.sql', 'CREATE TABLE steps (name text PRIMARY KEY);');
    await writeMigration('0002_broken.sql', "CREATE TABLE half (id integer); INSERT INTO steps VALUES ('x', 'y');");

    await expect(runMigrations(db, { directory })).rejects.toThrow();

    expect(await recorded(db)).toEqual(['0001_steps']);
    expect(await tables(db)).toEqual(['schema_migrations', 'steps']);

    await writeMigration('0002_broken.sql', "CREATE TABLE half (id integer); INSERT INTO steps VALUES ('x');");
    expect(await runMigrations(db, { directory })).toEqual(['0002_broken']);
  });

  it('rejects a SQL file not named NNNN_name.sql before applying anything', async () => {
    await writeMigration('0001_steps.sql', 'CREATE TABLE steps (name text PRIMARY KEY);');
    await writeMigration('2-more-steps.sql', 'CREATE TABLE more (name text);');

    await expect(runMigrations(db, { directory })).rejects.toThrow(/2-more-steps\.sql is not named NNNN_name\.sql/);
    expect(await tables(db)).toEqual([]);
  });

  it('rejects two migrations with the same number', async () => {
    await writeMigration('0001_steps.sql', 'CREATE TABLE steps (name text PRIMARY KEY);');
    await writeMigration('0001_other.sql', 'CREATE TABLE other (name text);');

    await expect(runMigrations(db, { directory })).rejects.toThrow(/0001_other\.sql and 0001_steps\.sql share/);
  });

  it('logs each migration it applies and each recorded one this release does not know', async () => {
    await writeMigration('0001_steps.sql', 'CREATE TABLE steps (name text PRIMARY KEY);');
    await runMigrations(db, { directory });
    await db.query("INSERT INTO schema_migrations (version) VALUES ('0099_from_the_future')");
    await writeMigration('0002_seed.sql', "INSERT INTO steps VALUES ('a');");
    const messages: string[] = [];

    await runMigrations(db, { directory, log: (message) => messages.push(message) });

    expect(messages).toEqual([
      'The database has migration 0099_from_the_future, which this release does not know',
      'Applied migration 0002_seed',
    ]);
  });
}

async function tables(db: Database): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  );
  return rows.map((row) => row.name);
}

async function recorded(db: Database): Promise<string[]> {
  const { rows } = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
  return rows.map((row) => row.version);
}
