import { spawn } from 'node:child_process';
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPgliteDatabase } from './pglite.adapter.ts';
import { describeDatabaseContract } from './testing/database-contract.ts';
import { openTestPgliteDatabase } from './testing/pglite-test-database.ts';

describe('PgliteDatabase', () => {
  describeDatabaseContract(() => openTestPgliteDatabase());

  describe('in a data directory', () => {
    let parent: string;

    beforeEach(async () => {
      parent = await mkdtemp(path.join(tmpdir(), 'memelab-pglite-'));
    });

    afterEach(async () => {
      await rm(parent, { recursive: true, force: true });
    });

    it('creates the missing directory and keeps data across close and reopen', async () => {
      const dataDir = path.join(parent, 'nested', 'data');
      const first = await openPgliteDatabase(dataDir);
      await first.query('CREATE TABLE kept (note text)');
      await first.transaction((tx) => tx.query("INSERT INTO kept VALUES ('still here')"));
      await first.close();

      const second = await openPgliteDatabase(dataDir);
      const { rows } = await second.query('SELECT note FROM kept');
      await second.close();

      await expect(access(path.join(dataDir, 'PG_VERSION'))).resolves.toBeUndefined();
      expect(rows).toEqual([{ note: 'still here' }]);
    });

    it('starts a new directory from the initdb snapshot: an empty UTF-8 database, no migration applied', async () => {
      const db = await openPgliteDatabase(path.join(parent, 'data'));
      const { rows } = await db.query(
        `SELECT current_database() AS name, pg_encoding_to_char(encoding) AS encoding,
                to_regclass('schema_migrations') AS migrations
           FROM pg_database WHERE datname = current_database()`,
      );
      await db.close();

      expect(rows).toEqual([{ name: 'postgres', encoding: 'UTF8', migrations: null }]);
    });

    it('unpacks a directory again that an interrupted first start left without PG_VERSION', async () => {
      const dataDir = path.join(parent, 'data');
      await mkdir(path.join(dataDir, 'base'), { recursive: true });
      await writeFile(path.join(dataDir, 'base', 'half-written'), 'partial');
      const db = await openPgliteDatabase(dataDir);
      const { rows } = await db.query('SELECT count(*)::int AS tables FROM pg_class');
      await db.close();

      expect(rows[0]?.tables).toBeGreaterThan(0);
      await expect(access(path.join(dataDir, 'base', 'half-written'))).rejects.toThrow();
      await expect(access(path.join(dataDir, 'PG_VERSION'))).resolves.toBeUndefined();
    });

    it('refuses a data directory that another open database is using', async () => {
      const dataDir = path.join(parent, 'data');
      const first = await openPgliteDatabase(dataDir);
      try {
        await expect(openPgliteDatabase(dataDir)).rejects.toThrow(/is in use by process \d+/);
      } finally {
        await first.close();
      }
    });

    it('refuses a data directory locked by another running process', async () => {
      const dataDir = path.join(parent, 'data');
      await mkdir(dataDir);
      const other = spawn(process.execPath, ['--eval', 'setTimeout(() => {}, 60_000)']);
      try {
        await writeFile(path.join(dataDir, 'memelab.lock'), `${other.pid}\n`);

        await expect(openPgliteDatabase(dataDir)).rejects.toThrow(`is in use by process ${other.pid}`);
      } finally {
        other.kill();
      }
    });

    it('takes over a data directory whose lock was left by a process that has exited', async () => {
      const dataDir = path.join(parent, 'data');
      await mkdir(dataDir);
      await writeFile(path.join(dataDir, 'memelab.lock'), `${await exitedPid()}\n`);

      const db = await openPgliteDatabase(dataDir);
      await db.close();

      await expect(access(path.join(dataDir, 'memelab.lock'))).rejects.toThrow();
    });
  });

  describe('in memory', () => {
    it('starts empty every time it is opened', async () => {
      const first = await openPgliteDatabase(undefined);
      await first.query('CREATE TABLE forgotten (id integer)');
      await first.close();

      const second = await openPgliteDatabase(undefined);
      const { rows } = await second.query("SELECT to_regclass('forgotten') AS found");
      await second.close();

      expect(first.kind).toBe('pglite');
      expect(rows).toEqual([{ found: null }]);
    });
  });
});

/** The pid of a child process that has already exited, so nothing runs under it. */
async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ['--eval', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  if (child.pid === undefined) throw new Error('The child process did not start');
  return child.pid;
}
