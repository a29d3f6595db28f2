import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from './database.port.ts';
import { runMigrations } from './migrations.ts';
import { openPostgresDatabase } from './postgres.adapter.ts';
import { describeMigrationContract } from './testing/migration-contract.ts';
import { createThrowawayDatabase, type ThrowawayDatabase } from './testing/throwaway-postgres.ts';

describe('runMigrations on PostgreSQL', () => {
  let throwaway: ThrowawayDatabase;

  beforeAll(async () => {
    throwaway = await createThrowawayDatabase();
  });

  afterAll(async () => {
    await throwaway.drop();
  });

  describeMigrationContract(async () => {
    await throwaway.reset();
    return openPostgresDatabase({ url: throwaway.url });
  });

  describe('with several processes starting together', () => {
    let folder: string;

    beforeEach(async () => {
      await throwaway.reset();
      folder = await mkdtemp(path.join(tmpdir(), 'memelab-migrations-'));
    });

    afterEach(async () => {
      await rm(folder, { recursive: true, force: true });
    });

    it('applies each migration exactly once when four processes migrate at the same time', async () => {
      await writeFile(
        path.join(folder, '0001_journal.sql'),
        "CREATE TABLE journal (version text NOT NULL); SELECT pg_sleep(0.2); INSERT INTO journal VALUES ('0001');",
      );
      await writeFile(
        path.join(folder, '0002_more.sql'),
        "CREATE TABLE more (id integer); INSERT INTO journal VALUES ('0002');",
      );
      await writeFile(path.join(folder, '0003_seed.sql'), "INSERT INTO journal VALUES ('0003');");

      const applied = await migrateConcurrently(throwaway.url, 4, pathToFileURL(folder));

      expect(applied.flat().sort()).toEqual(['0001_journal', '0002_more', '0003_seed']);
      expect(await journal(throwaway.url)).toEqual(['0001', '0002', '0003']);
    });

    it('applies the bundled migrations once when four processes migrate at the same time', async () => {
      const applied = await migrateConcurrently(throwaway.url, 4);

      expect(applied.flat().sort()).toEqual(['0001_initial', '0002_publish_confirmation']);
    });
  });
});

/** Opens `count` separate pools, as separate processes would, and migrates through all of them at once. */
async function migrateConcurrently(url: string, count: number, directory?: URL): Promise<string[][]> {
  const databases: Database[] = await Promise.all(
    Array.from({ length: count }, () => openPostgresDatabase({ url, maxConnections: 2 })),
  );
  try {
    return await Promise.all(databases.map((db) => runMigrations(db, directory === undefined ? {} : { directory })));
  } finally {
    await Promise.all(databases.map((db) => db.close()));
  }
}

async function journal(url: string): Promise<string[]> {
  const db = await openPostgresDatabase({ url });
  try {
    const { rows } = await db.query<{ version: string }>('SELECT version FROM journal ORDER BY version');
    return rows.map((row) => row.version);
  } finally {
    await db.close();
  }
}
