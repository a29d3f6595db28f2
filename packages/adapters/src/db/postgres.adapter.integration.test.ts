import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { openPostgresDatabase, type PostgresDatabase } from './postgres.adapter.ts';
import { describeDatabaseContract } from './testing/database-contract.ts';
import { createThrowawayDatabase, type ThrowawayDatabase, withAdmin } from './testing/throwaway-postgres.ts';

describe('PostgresDatabase', () => {
  let throwaway: ThrowawayDatabase;

  beforeAll(async () => {
    throwaway = await createThrowawayDatabase();
  });

  afterAll(async () => {
    await throwaway.drop();
  });

  describeDatabaseContract(async () => {
    await throwaway.reset();
    return openPostgresDatabase({ url: throwaway.url });
  });

  describe('when connections fail', () => {
    let db: PostgresDatabase;
    let errors: Error[];

    beforeEach(async () => {
      errors = [];
      db = await openPostgresDatabase({
        url: throwaway.url,
        maxConnections: 3,
        onError: (error) => errors.push(error),
      });
    });

    afterEach(async () => {
      await db.close();
    });

    it('reports the server terminating idle connections and keeps answering on new ones', async () => {
      await Promise.all([1, 2, 3].map(() => db.query('SELECT pg_sleep(0.05)')));

      const terminated = await terminateConnections(throwaway.name);
      await waitUntil(() => errors.length === terminated);

      expect(terminated).toBe(3);
      expect(errors[0]?.message).toMatch(/terminat/);
      expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    });

    it('fails the transaction, not the process, when its connection is terminated midway', async () => {
      const outcome = db.transaction(async (tx) => {
        await tx.query('SELECT 1');
        await terminateConnections(throwaway.name);
        await waitUntil(() => errors.length > 0);
        await tx.query('SELECT 2');
      });

      await expect(outcome).rejects.toThrow();
      expect(errors[0]?.message).toMatch(/terminat/);
      expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    });

    it('fails a statement whose connection is terminated while it runs, reports it, and answers on a new one', async () => {
      const statement = db.query('SELECT pg_sleep(5)');
      await waitUntil(async () => (await sleepingBackends(throwaway.name)) > 0);
      await terminateConnections(throwaway.name);

      await expect(statement).rejects.toThrow(/terminat/);
      await waitUntil(() => errors.length > 0);
      expect(errors[0]?.message).toMatch(/terminat/);
      expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    });
  });

  it('logs to stderr, instead of crashing, when the error hook itself throws', async () => {
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => {});
    const db = await openPostgresDatabase({
      url: throwaway.url,
      onError: () => {
        throw new Error('hook broke');
      },
    });
    try {
      await db.query('SELECT 1');
      await terminateConnections(throwaway.name);
      await waitUntil(() => stderr.mock.calls.length >= 2);

      expect(stderr.mock.calls.flat().join('\n')).toMatch(/terminat[\s\S]*hook broke/);
      expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      stderr.mockRestore();
      await db.close();
    }
  });

  describe('options', () => {
    it('cancels a statement that runs longer than the statement timeout', async () => {
      const db = await openPostgresDatabase({ url: throwaway.url, statementTimeoutMs: 100 });
      try {
        await expect(db.query('SELECT pg_sleep(2)')).rejects.toMatchObject({ code: '57014' });
      } finally {
        await db.close();
      }
    });

    it('keeps a connection after a statement the server refused, and answers on it again', async () => {
      const db = await openPostgresDatabase({ url: throwaway.url, maxConnections: 1 });
      try {
        const before = (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
        await expect(db.query('SELECT 1 / $1::int', [0])).rejects.toMatchObject({ code: '22012' });
        const after = (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
        expect(after).toBe(before);
      } finally {
        await db.close();
      }
    });

    it('opens no more connections than maxConnections', async () => {
      const db = await openPostgresDatabase({ url: throwaway.url, maxConnections: 2 });
      try {
        const answers = await Promise.all(
          Array.from({ length: 6 }, () => db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid, pg_sleep(0.05)')),
        );
        expect(new Set(answers.map((answer) => answer.rows[0]?.pid)).size).toBe(2);
      } finally {
        await db.close();
      }
    });
  });

  describe('ping', () => {
    let silent: SilentServer;

    beforeEach(async () => {
      silent = await startSilentServer();
    });

    afterEach(async () => {
      await silent.stop();
    });

    it('fails after its timeout when the server accepts connections but never answers', async () => {
      const db = await openPostgresDatabase({
        url: `postgres://postgres@127.0.0.1:${silent.port}/memelab`,
        pingTimeoutMs: 200,
        connectionTimeoutMs: 10_000,
      });
      const started = Date.now();

      await expect(db.ping()).rejects.toThrow('PostgreSQL did not answer within 200 ms');

      expect(Date.now() - started).toBeLessThan(2_000);
      await silent.stop();
      await db.close();
    });

    it('fails when nothing listens at the address', async () => {
      await silent.stop();
      const db = await openPostgresDatabase({ url: `postgres://postgres@127.0.0.1:${silent.port}/memelab` });

      await expect(db.ping()).rejects.toThrow();
      await db.close();
    });
  });
});

/** Terminates every connection to `database` from the server side, as a restart would; returns how many. */
async function terminateConnections(database: string): Promise<number> {
  return withAdmin(async (admin) => {
    const { rows } = await admin.query<{ terminated: boolean }>(
      'SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE datname = $1',
      [database],
    );
    return rows.filter((row) => row.terminated).length;
  });
}

async function sleepingBackends(database: string): Promise<number> {
  return withAdmin(async (admin) => {
    const { rows } = await admin.query<{ count: string }>(
      `SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'SELECT pg_sleep%' AND state = 'active'`,
      [database],
    );
    return Number(rows[0]?.count ?? 0);
  });
}

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface SilentServer {
  readonly port: number;
  stop(): Promise<void>;
}

/** A TCP server that accepts connections and never says a word, like a hung database host. */
async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The silent server has no TCP port');
  let stopping: Promise<void> | undefined;
  return {
    port: address.port,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      });
      return stopping;
    },
  };
}
