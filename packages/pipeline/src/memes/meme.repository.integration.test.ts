import { openDatabase, runMigrations } from '@memelab/adapters';
import { createThrowawayDatabase, type ThrowawayDatabase } from '@memelab/adapters/testing';
import { memeIdOf, parseMemeSpec } from '@memelab/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemeRepository, type NewMeme } from './meme.repository.ts';

const newMeme = (caption: string): NewMeme => {
  const spec = parseMemeSpec({ template: 'rack-of-doom', captions: [caption] });
  return { id: memeIdOf(spec), spec, correlationId: undefined, claimedBy: 'api@test' };
};

const LOCK_WAIT_TIMEOUT_MS = 10_000;

/** Resolves once `count` statements of this database wait for a row lock. */
const lockWaiters = async (admin: pg.Client, database: string, count: number): Promise<void> => {
  const deadline = Date.now() + LOCK_WAIT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const { rows } = await admin.query<{ waiting: string }>(
      `SELECT count(*) AS waiting FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`,
      [database],
    );
    if (Number(rows[0]?.waiting) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`fewer than ${count} statements waited for a lock within ${LOCK_WAIT_TIMEOUT_MS} ms`);
};

describe('MemeRepository against PostgreSQL, statements of several rows at once', () => {
  let throwaway: ThrowawayDatabase;
  let db: Awaited<ReturnType<typeof openDatabase>>;
  let memes: MemeRepository;
  let admin: pg.Client;

  beforeAll(async () => {
    throwaway = await createThrowawayDatabase();
    db = await openDatabase({ databaseUrl: throwaway.url, maxConnections: 4 });
    await runMigrations(db);
    memes = new MemeRepository(db);
    admin = new pg.Client({ connectionString: throwaway.url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    await db?.close();
    await throwaway?.drop();
  });

  it('never deadlock a worker against an API recording publications of the same memes', async () => {
    // Two memes, named by id order: `low` sorts before `high`.
    const [low, high] = [newMeme('deadlock one'), newMeme('deadlock two')].sort((a, b) => (a.id < b.id ? -1 : 1));
    if (low === undefined || high === undefined) throw new Error('two memes expected');
    await memes.insertManyIfAbsent([low, high]);

    // A third transaction holds `high` for a moment, so the other two statements meet in
    // the order that deadlocked: a worker starting `high` while marking `low` done, and an
    // API recording both as published, which took `low` and then waited for `high`.
    const holder = new pg.Client({ connectionString: throwaway.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM memes WHERE id = $1 FOR UPDATE', [high.id]);
      const worker = memes.beginAttemptsAndMarkDone(
        [high.id],
        [{ id: low.id, objectKey: `${low.id}.jpg`, width: 600, height: 600, bytes: 1 }],
        5,
      );
      await lockWaiters(admin, throwaway.name, 1);
      const api = memes.markPublished([low.id, high.id]);
      // The API's statement passes the locked row by instead of queueing behind it.
      await Promise.race([api, lockWaiters(admin, throwaway.name, 2)]);
      await holder.query('COMMIT');

      // Both finish; before, PostgreSQL aborted one of them after its deadlock timeout (1 s).
      const [workerResult, apiResult] = await Promise.allSettled([worker, api]);
      expect(workerResult.status).toBe('fulfilled');
      expect(apiResult.status).toBe('fulfilled');
    } finally {
      await holder.end();
    }
    expect(await memes.find(low.id)).toMatchObject({ status: 'done', attempts: 0 });
    // The worker's attempt recorded the publication the API passed by.
    const started = await memes.find(high.id);
    expect(started).toMatchObject({ status: 'queued', attempts: 1 });
    expect(started?.publishedAt).toBeInstanceOf(Date);
  });
});
