import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { dumpMigratedPgliteDatabase } from '../../packages/adapters/src/db/testing/pglite-test-database.ts';

/**
 * Migrates one embedded database for the whole run and hands its tar file to every test
 * file, which copies it in memory instead of migrating a database of its own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'memelab-vitest-'));
  const file = join(dir, 'migrated-pglite.tar');
  await writeFile(file, Buffer.from(await (await dumpMigratedPgliteDatabase()).arrayBuffer()));
  project.provide('memelabMigratedPglite', file);
  return () => rm(dir, { recursive: true, force: true });
}
