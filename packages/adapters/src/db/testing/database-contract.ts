import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database, SqlExecutor } from '../database.port.ts';

/**
 * What every `Database` adapter promises, run against each of them so repositories behave
 * the same embedded (PGlite) and distributed (PostgreSQL). `open` returns a database with
 * an empty schema; each test gets its own and closes it.
 */
export function describeDatabaseContract(open: () => Promise<Database>): void {
  let db: Database;

  beforeEach(async () => {
    db = await open();
  });

  afterEach(async () => {
    await db.close();
  });

  describe('values', () => {
    it('returns jsonb as objects and timestamptz as Date', async () => {
      await db.query('CREATE TABLE things (id integer PRIMARY KEY, doc jsonb NOT NULL, at timestamptz NOT NULL)');
      const at = new Date('2024-05-06T07:08:09.123Z');
      const doc = { name: 'doge', tags: ['such', 'wow'], nested: { level: 2 } };
      await db.query('INSERT INTO things (id, doc, at) VALUES ($1, $2, $3)', [1, doc, at]);

      const { rows } = await db.query('SELECT id, doc, at, now() AS now FROM things');

      expect(rows).toEqual([{ id: 1, doc, at, now: expect.any(Date) }]);
      expect(rows[0]?.at).toBeInstanceOf(Date);
    });

    it('stores JSON arrays and strings passed as JSON text', async () => {
      await db.query('CREATE TABLE docs (id integer PRIMARY KEY, doc jsonb NOT NULL)');
      await db.query('INSERT INTO docs VALUES (1, $1), (2, $2)', [JSON.stringify(['a', 'b']), JSON.stringify('hi')]);

      const { rows } = await db.query('SELECT doc FROM docs ORDER BY id');

      expect(rows).toEqual([{ doc: ['a', 'b'] }, { doc: 'hi' }]);
    });

    it('returns integers and counts as numbers, and bigints beyond 2^53 as bigint', async () => {
      const { rows } = await db.query(
        `SELECT 42::integer AS small, count(*) AS count, ARRAY[1, 2]::bigint[] AS ids,
                9007199254740993::bigint AS huge
           FROM generate_series(1, 3)`,
      );

      expect(rows).toEqual([{ small: 42, count: 3, ids: [1, 2], huge: 9007199254740993n }]);
    });
  });

  describe('rowCount', () => {
    it('counts the rows a SELECT returns and the rows a write changes', async () => {
      const created = await db.query('CREATE TABLE counted (id integer PRIMARY KEY, flag boolean NOT NULL)');
      const inserted = await db.query('INSERT INTO counted VALUES (1, true), (2, true), (3, false)');
      const selected = await db.query('SELECT id FROM counted WHERE flag');
      const updated = await db.query('UPDATE counted SET flag = NOT flag WHERE id >= $1', [2]);
      const returned = await db.query<{ id: number }>('DELETE FROM counted WHERE flag RETURNING id');

      expect([created, inserted, selected, updated].map((result) => result.rowCount)).toEqual([0, 3, 2, 2]);
      expect(returned.rowCount).toBe(2);
      expect(returned.rows.map((row) => row.id).sort()).toEqual([1, 3]);
    });
  });

  describe('statements', () => {
    it('rejects several statements in one query', async () => {
      await expect(db.query('SELECT 1; SELECT 2')).rejects.toThrow();
    });

    it('rejects a failed statement with its SQLSTATE as the error code', async () => {
      await db.query('CREATE TABLE unique_names (name text PRIMARY KEY)');
      await db.query("INSERT INTO unique_names VALUES ('doge')");

      await expect(db.query("INSERT INTO unique_names VALUES ('doge')")).rejects.toMatchObject({ code: '23505' });
    });

    it('keeps concurrent callers’ parameters and results apart', async () => {
      const values = Array.from({ length: 40 }, (_, index) => index);

      const answers = await Promise.all(
        values.map((value) => db.query<{ value: number }>('SELECT $1::integer AS value', [value])),
      );

      expect(answers.map((answer) => answer.rows[0]?.value)).toEqual(values);
    });
  });

  describe('transaction', () => {
    beforeEach(async () => {
      await db.query('CREATE TABLE items (name text PRIMARY KEY)');
    });

    it('commits the work when it resolves and returns its value', async () => {
      const value = await db.transaction(async (tx) => {
        await tx.query("INSERT INTO items VALUES ('a'), ('b')");
        return 'done';
      });

      expect(value).toBe('done');
      expect(await names(db)).toEqual(['a', 'b']);
    });

    it('rolls back a transaction when the work throws, rethrowing its error', async () => {
      const failure = new Error('render exploded');

      const outcome = db.transaction(async (tx) => {
        await tx.query("INSERT INTO items VALUES ('a')");
        throw failure;
      });

      await expect(outcome).rejects.toBe(failure);
      expect(await names(db)).toEqual([]);
    });

    it('rolls back a transaction when one of its statements fails', async () => {
      const outcome = db.transaction(async (tx) => {
        await tx.query("INSERT INTO items VALUES ('a')");
        await tx.query("INSERT INTO items VALUES ('a')");
      });

      await expect(outcome).rejects.toMatchObject({ code: '23505' });
      expect(await names(db)).toEqual([]);
    });

    it('refuses to commit when the work swallowed a failed statement', async () => {
      const outcome = db.transaction(async (tx) => {
        await tx.query("INSERT INTO items VALUES ('a')");
        await tx.query("INSERT INTO items VALUES ('a')").catch(() => undefined);
        return 'looks fine';
      });

      await expect(outcome).rejects.toThrow(/roll/i);
      expect(await names(db)).toEqual([]);
    });

    it('keeps another caller’s query out of an open transaction that then rolls back', async () => {
      const began = deferred();
      const transaction = db.transaction(async (tx) => {
        await tx.query("INSERT INTO items VALUES ('inside')");
        began.resolve();
        await sleep(50);
        throw new Error('give up');
      });
      await began.promise;

      const outside = db.query("INSERT INTO items VALUES ('outside')");
      const [inside, other] = await Promise.allSettled([transaction, outside]);

      expect(inside).toMatchObject({ status: 'rejected', reason: { message: 'give up' } });
      expect(other.status).toBe('fulfilled');
      expect(await names(db)).toEqual(['outside']);
    });

    it('runs many concurrent queries and transactions from independent callers', async () => {
      await db.query('CREATE TABLE events (batch integer NOT NULL, seq integer NOT NULL)');
      const plain = Array.from({ length: 30 }, (_, seq) =>
        db.query('INSERT INTO events VALUES (0, $1)', [seq]).then(() => 1),
      );
      const batches = Array.from({ length: 10 }, (_, index) => insertBatch(db, index + 1));

      const ownRowsSeen = await Promise.all([...plain, ...batches]);

      expect(ownRowsSeen).toEqual([...Array(30).fill(1), ...Array(10).fill(3)]);
      expect((await db.query('SELECT count(*) AS count FROM events')).rows).toEqual([{ count: 60 }]);
    });

    it('rejects a query on the database itself from inside one of its transactions', async () => {
      const outcome = db.transaction(async () => {
        await db.query("INSERT INTO items VALUES ('escaped')");
      });

      await expect(outcome).rejects.toThrow(/inside one of its own transactions/);
      expect(await names(db)).toEqual([]);
    });

    it('rejects a transaction executor used after its transaction finished', async () => {
      let leaked: SqlExecutor | undefined;
      await db.transaction(async (tx) => {
        leaked = tx;
      });

      await expect(leaked?.query('SELECT 1')).rejects.toThrow(/already finished/);
    });
  });

  describe('lifecycle', () => {
    it('answers a ping', async () => {
      await expect(db.ping()).resolves.toBeUndefined();
    });

    it('fails a ping once closed, and closing twice is harmless', async () => {
      await db.close();
      await db.close();

      await expect(db.ping()).rejects.toThrow();
    });
  });
}

async function names(db: Database): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>('SELECT name FROM items ORDER BY name');
  return rows.map((row) => row.name);
}

/** Inserts three rows in one transaction and returns how many of them it saw inside it. */
function insertBatch(db: Database, batch: number): Promise<number> {
  return db.transaction(async (tx) => {
    for (const seq of [1, 2, 3]) await tx.query('INSERT INTO events VALUES ($1, $2)', [batch, seq]);
    const { rows } = await tx.query<{ count: number }>('SELECT count(*) AS count FROM events WHERE batch = $1', [
      batch,
    ]);
    return rows[0]?.count ?? 0;
  });
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
