import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database.factory.ts';
import { runMigrations } from './migrations.ts';
import { createThrowawayDatabase, type ThrowawayDatabase } from './testing/throwaway-postgres.ts';

describe('openDatabase with a PostgreSQL URL', () => {
  let throwaway: ThrowawayDatabase;

  beforeAll(async () => {
    throwaway = await createThrowawayDatabase();
  });

  afterAll(async () => {
    await throwaway.drop();
  });

  it('connects to the server, migrates it and stores rows', async () => {
    const db = await openDatabase({ databaseUrl: throwaway.url, maxConnections: 2, statementTimeoutMs: 5_000 });
    try {
      await db.ping();
      await runMigrations(db);
      await db.query("INSERT INTO templates (id, config, image_key) VALUES ('doge', $1, 'templates/doge.png')", [
        { name: 'Doge' },
      ]);

      const { rows } = await db.query('SELECT config, created_at FROM templates');

      expect(db.kind).toBe('postgres');
      expect(rows).toEqual([{ config: { name: 'Doge' }, created_at: expect.any(Date) }]);
    } finally {
      await db.close();
    }
  });
});
