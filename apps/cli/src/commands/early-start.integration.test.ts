import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPgliteDatabase } from '@memelab/adapters/pglite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTypeScript } from '../testing/memelab-process.ts';
import {
  beginEmbeddedStart,
  closeEarlyDatabase,
  isEmbeddedStart,
  takeEarlyDatabase,
  takeEarlyWebBuild,
} from './early-start.ts';

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

describe('memelab start with more on its command line', () => {
  const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
  let parent: string;

  beforeEach(async () => {
    parent = await mkdtemp(path.join(tmpdir(), 'memelab-start-help-'));
  });

  afterEach(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it.each([
    [['--help'], 0, /Usage: memelab start/],
    [['--port', '1'], 2, /unknown option '--port'/],
  ])('start %j answers from the parser and leaves no database behind', async (extra, code, output) => {
    const dataDir = path.join(parent, 'data');
    const env = { ...process.env, DATA_DIR: dataDir, WEB_DIR: parent };

    const finished = await runTypeScript(MAIN, ['start', ...extra], env);

    expect(finished.code).toBe(code);
    expect(`${finished.stdout}${finished.stderr}`).toMatch(output);
    await expect(access(dataDir)).rejects.toThrow();
  });

  it('begins early only for `start` alone', () => {
    expect(isEmbeddedStart(['start'])).toBe(true);
    expect(isEmbeddedStart(['start', '--help'])).toBe(false);
    expect(isEmbeddedStart(['api'])).toBe(false);
    expect(isEmbeddedStart([])).toBe(false);
  });
});
