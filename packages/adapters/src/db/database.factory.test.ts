import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database.factory.ts';
import type { Database } from './database.port.ts';

describe('openDatabase', () => {
  let parent: string;
  let opened: Database | undefined;

  beforeEach(async () => {
    parent = await mkdtemp(path.join(tmpdir(), 'memelab-factory-'));
  });

  afterEach(async () => {
    await opened?.close();
    opened = undefined;
    await rm(parent, { recursive: true, force: true });
  });

  it('opens the embedded database in the data directory when no URL is given', async () => {
    const dataDir = path.join(parent, 'data');

    opened = await openDatabase({ dataDir });

    expect(opened.kind).toBe('pglite');
    await expect(opened.ping()).resolves.toBeUndefined();
    await expect(access(path.join(dataDir, 'PG_VERSION'))).resolves.toBeUndefined();
    // Small shared memory: PostgreSQL zeroes all of it as it starts.
    const { rows } = await opened.query<{ shared_buffers: string }>('SHOW shared_buffers');
    expect(rows[0]?.shared_buffers).toBe('16MB');
  });

  it('opens PostgreSQL when a URL is given, ignoring the data directory', async () => {
    const dataDir = path.join(parent, 'unused');

    // Nothing listens on port 1; the pool only connects on the first query.
    opened = await openDatabase({ databaseUrl: 'postgres://memelab@127.0.0.1:1/memelab', dataDir });

    expect(opened.kind).toBe('postgres');
    await expect(access(dataDir)).rejects.toThrow();
  });

  it('opens the embedded database in memory when an empty URL and no directory are given', async () => {
    opened = await openDatabase({ databaseUrl: '' });

    expect(opened.kind).toBe('pglite');
    await expect(opened.ping()).resolves.toBeUndefined();
  });
});
