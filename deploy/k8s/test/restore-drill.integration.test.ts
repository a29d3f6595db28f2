/**
 * The disaster drill's data half, against the real PostgreSQL on 127.0.0.1: the backup
 * CronJob's dump script (components/backup/scripts/pg-dump.sh), the database dropped, the
 * restore Job's script (pg-restore.sh), and every row back. The scripts run here exactly as
 * the pods run them, with the same environment variables.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { K8S_DIR } from './lib/render.ts';

const run = promisify(execFile);
const SCRIPTS = join(K8S_DIR, 'components/backup/scripts');
const HOST = process.env.PGHOST ?? '127.0.0.1';
const PORT = process.env.PGPORT ?? '5432';
const ADMIN_USER = process.env.PGUSER ?? 'postgres';
const database = `memelab_restore_drill_${process.pid}_${Date.now().toString(36)}`;

const connect = async (name: string): Promise<pg.Client> => {
  const client = new pg.Client({ host: HOST, port: Number(PORT), user: ADMIN_USER, database: name });
  await client.connect();
  return client;
};
const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
  const client = await connect('postgres');
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};
const inDatabase = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
  const client = await connect(database);
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

/** What the pods' environment gives the scripts (postgres-config, postgres-credentials). */
const scriptEnv = (backupDir: string) => ({
  ...process.env,
  PGHOST: HOST,
  PGPORT: PORT,
  PGUSER: ADMIN_USER,
  PGDATABASE: database,
  BACKUP_DIR: backupDir,
});

const SCHEMA = `
  CREATE TABLE templates (id text PRIMARY KEY, name text NOT NULL);
  CREATE TABLE memes (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    template_id text NOT NULL REFERENCES templates(id),
    captions jsonb NOT NULL,
    status text NOT NULL CHECK (status IN ('queued', 'done', 'failed')),
    image bytea,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX memes_status ON memes (status);
  CREATE TABLE events (id bigserial PRIMARY KEY, meme_id bigint NOT NULL REFERENCES memes(id) ON DELETE CASCADE, kind text NOT NULL);
  CREATE VIEW done_memes AS SELECT id, template_id FROM memes WHERE status = 'done';
`;
const TABLES = ['templates', 'memes', 'events'] as const;

/** Row count and a digest of every row, per table. */
const fingerprint = (): Promise<Record<string, { rows: number; digest: string }>> =>
  inDatabase(async (client) => {
    const out: Record<string, { rows: number; digest: string }> = {};
    for (const table of TABLES) {
      const { rows } = await client.query(
        `SELECT count(*)::int AS rows, coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS digest FROM ${table} t`,
      );
      out[table] = rows[0] as { rows: number; digest: string };
    }
    return out;
  });

const dump = async (backupDir: string): Promise<string> => {
  const { stdout } = await run('sh', [join(SCRIPTS, 'pg-dump.sh')], { env: scriptEnv(backupDir) });
  return stdout.trim();
};
const restore = (backupDir: string, file: string) =>
  run('sh', [join(SCRIPTS, 'pg-restore.sh'), file], { env: scriptEnv(backupDir) });
const dropDatabase = () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
/** What the PostgreSQL image does on its first start in a new volume (POSTGRES_DB). */
const createEmptyDatabase = () => admin((client) => client.query(`CREATE DATABASE ${database}`));

let backupDir: string;
let before: Awaited<ReturnType<typeof fingerprint>>;
let dumpFile: string;

beforeAll(async () => {
  backupDir = await mkdtemp(join(tmpdir(), 'memelab-restore-drill-'));
  await createEmptyDatabase();
  await inDatabase(async (client) => {
    await client.query(SCHEMA);
    await client.query(`INSERT INTO templates SELECT 'template-' || i, 'Template ' || i FROM generate_series(1, 25) i`);
    await client.query(
      `INSERT INTO memes (template_id, captions, status, image)
       SELECT 'template-' || (1 + i % 25), jsonb_build_array('top ' || i, 'bottom ' || i),
              (ARRAY['queued','done','failed'])[1 + i % 3], decode(md5(i::text), 'hex')
       FROM generate_series(1, 2000) i`,
    );
    await client.query(
      `INSERT INTO events (meme_id, kind) SELECT 1 + i % 2000, 'meme.rendered' FROM generate_series(1, 5000) i`,
    );
  });
  before = await fingerprint();
  dumpFile = await dump(backupDir);
});

afterAll(async () => {
  await dropDatabase().catch(() => undefined);
  await rm(backupDir, { recursive: true, force: true });
});

describe('the restore drill', () => {
  it('dumps with the backup script into a named, non-empty custom-format file', async () => {
    expect(dumpFile).toMatch(new RegExp(`^${backupDir}/${database}-\\d{8}T\\d{6}Z\\.dump$`));
    expect((await stat(dumpFile)).size).toBeGreaterThan(10_000);
    const { stdout } = await run('pg_restore', ['--list', dumpFile]);
    expect(stdout).toContain('TABLE DATA public memes');
    expect(before.memes?.rows).toBe(2000);
  });

  it('drop, recreate empty, restore: every row of every table is back', async () => {
    await dropDatabase();
    await createEmptyDatabase();
    expect(
      await inDatabase(async (client) => (await client.query(`SELECT to_regclass('memes') AS t`)).rows[0].t),
    ).toBeNull();
    await restore(backupDir, dumpFile);
    expect(await fingerprint()).toEqual(before);
    // The identity continues after the restored rows instead of colliding with them.
    const next = await inDatabase(
      async (client) =>
        (
          await client.query(
            `INSERT INTO memes (template_id, captions, status) VALUES ('template-1', '[]', 'queued') RETURNING id`,
          )
        ).rows[0].id,
    );
    expect(Number(next)).toBe(2001);
  });

  it('restores over a database whose migrations already ran (the namespace came back before the restore)', async () => {
    await dropDatabase();
    await createEmptyDatabase();
    await inDatabase((client) => client.query(SCHEMA));
    await restore(backupDir, dumpFile);
    expect(await fingerprint()).toEqual(before);
  });

  it('leaves the database as it was when the dump is damaged', async () => {
    const damaged = join(backupDir, 'damaged.dump');
    await run('cp', [dumpFile, damaged]);
    await truncate(damaged, Math.floor((await stat(damaged)).size / 2));
    const current = await fingerprint();
    await expect(restore(backupDir, damaged)).rejects.toThrow();
    expect(await fingerprint()).toEqual(current);
  });
});
