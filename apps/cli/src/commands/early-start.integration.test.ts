import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openPgliteDatabase } from '@memelab/adapters/pglite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { beginEmbeddedStart, closeEarlyDatabase, takeEarlyDatabase, takeEarlyWebBuild } from './early-start.ts';

describe('the embedded database a start opens before its configuration is loaded', () => {
  let parent: string;

  beforeEach(async () => {
    parent = await mkdtemp(path.join(tmpdir(), 'memelab-early-'));
  });

  afterEach(async () => {
    await closeEarlyDatabase();
    await rm(parent, { recursive: true, force: true });
  });

  const begin = (env: Record<string, string>) => beginEmbeddedStart({ WEB_DIR: parent, ...env });

  it('is handed to the start when the configuration names the same data directory', async () => {
    begin({ DATA_DIR: path.join(parent, 'data') });
    // The same directory, spelled relative to the working directory.
    const early = await takeEarlyDatabase({ DATA_DIR: path.relative(process.cwd(), path.join(parent, 'data')) });
    expect(early).toBeDefined();
    const db = await early?.database;
    try {
      expect((await db?.query<{ one: number }>('SELECT 1 AS one'))?.rows).toEqual([{ one: 1 }]);
    } finally {
      await db?.close();
    }
  });

  it('is closed, giving its directory back, when the configuration names another data directory', async () => {
    begin({ DATA_DIR: path.join(parent, 'early') });
    expect(await takeEarlyDatabase({ DATA_DIR: path.join(parent, 'configured') })).toBeUndefined();
    // Its lock is gone: the directory opens again, in this process too.
    const reopened = await openPgliteDatabase(path.join(parent, 'early', 'db'));
    await reopened.close();
    await expect(access(path.join(parent, 'early', 'db', 'PG_VERSION'))).resolves.toBeUndefined();
  });

  it('is closed when the configuration names a PostgreSQL server instead', async () => {
    begin({ DATA_DIR: path.join(parent, 'data') });
    expect(
      await takeEarlyDatabase({ DATA_DIR: path.join(parent, 'data'), DATABASE_URL: 'postgres://127.0.0.1:1/none' }),
    ).toBeUndefined();
    const reopened = await openPgliteDatabase(path.join(parent, 'data', 'db'));
    await reopened.close();
  });

  it('is not opened at all when DATABASE_URL is set, and no web page is built when WEB_DIR is', async () => {
    begin({ DATA_DIR: path.join(parent, 'data'), DATABASE_URL: 'postgres://127.0.0.1:1/none' });
    expect(await takeEarlyDatabase({ DATA_DIR: path.join(parent, 'data') })).toBeUndefined();
    await expect(access(path.join(parent, 'data'))).rejects.toThrow();
    expect(await takeEarlyWebBuild()).toEqual({ outcome: 'not needed', error: undefined });
  });
});
