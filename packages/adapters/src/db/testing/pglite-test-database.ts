import { PGlite } from '@electric-sql/pglite';
import { runMigrations } from '../migrations.ts';
import { PgliteDatabase } from '../pglite.adapter.ts';

const clusters = new Map<boolean, Promise<Blob>>();

/**
 * A fresh in-memory database for one test, migrated when asked. Initialising a cluster
 * takes seconds, so the first call builds one and every call after that starts from a
 * copy of it.
 */
export async function openTestPgliteDatabase(options: { migrated?: boolean } = {}): Promise<PgliteDatabase> {
  const cluster = await clusterFor(options.migrated === true);
  return new PgliteDatabase(await PGlite.create({ loadDataDir: cluster }));
}

function clusterFor(migrated: boolean): Promise<Blob> {
  let cluster = clusters.get(migrated);
  if (cluster === undefined) {
    cluster = snapshot(migrated);
    clusters.set(migrated, cluster);
  }
  return cluster;
}

async function snapshot(migrated: boolean): Promise<Blob> {
  const pg = await PGlite.create();
  try {
    if (migrated) await runMigrations(new PgliteDatabase(pg));
    return await pg.dumpDataDir('none');
  } finally {
    await pg.close();
  }
}
