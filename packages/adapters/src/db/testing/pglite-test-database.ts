import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { runMigrations } from '../migrations.ts';
import { PgliteDatabase, pgliteStartParams } from '../pglite.adapter.ts';
import { loadPgliteSnapshot } from '../pglite-snapshot.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The tar file of a migrated embedded database, written once by the tests' global set-up. */
    memelabMigratedPglite: string;
  }
}

let migratedCluster: Promise<Blob> | undefined;

/**
 * A fresh in-memory database for one test, migrated when asked. It starts from the initdb
 * snapshot, and a migrated one from a copy of a database migrated once: under vitest the
 * global set-up migrates it once for the whole run, elsewhere the first call here does.
 */
export async function openTestPgliteDatabase(options: { migrated?: boolean } = {}): Promise<PgliteDatabase> {
  const cluster = options.migrated === true ? await migrated() : await loadPgliteSnapshot();
  return new PgliteDatabase(await PGlite.create({ loadDataDir: cluster, startParams: await pgliteStartParams() }));
}

/** A migrated database's data directory as a tar archive, for `loadDataDir`. */
export async function dumpMigratedPgliteDatabase(): Promise<Blob> {
  const pg = await PGlite.create({ loadDataDir: await loadPgliteSnapshot(), startParams: await pgliteStartParams() });
  try {
    await runMigrations(new PgliteDatabase(pg));
    return await pg.dumpDataDir('none');
  } finally {
    await pg.close();
  }
}

function migrated(): Promise<Blob> {
  migratedCluster ??= providedMigratedCluster().then((provided) => provided ?? dumpMigratedPgliteDatabase());
  return migratedCluster;
}

async function providedMigratedCluster(): Promise<Blob | undefined> {
  if (process.env.VITEST === undefined) return undefined;
  // Imported only under vitest, so that code run outside it can use these helpers too.
  const { inject } = await import('vitest');
  const file: string | undefined = inject('memelabMigratedPglite');
  return file === undefined ? undefined : new Blob([await readFile(file)]);
}
