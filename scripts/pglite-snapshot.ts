/**
 * Writes the initdb snapshot the embedded database starts from
 * (packages/adapters/src/db/pglite-initdb.tar.br): runs initdb in an in-memory PGlite and
 * stores its data directory. Run it after upgrading PGlite.
 *
 * Usage: npm run db:snapshot
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { createPgliteSnapshot, PGLITE_SNAPSHOT } from '../packages/adapters/src/db/pglite-snapshot.ts';

const pg = await PGlite.create();
try {
  const snapshot = await createPgliteSnapshot(pg);
  await writeFile(PGLITE_SNAPSHOT, snapshot);
  console.log(`${fileURLToPath(PGLITE_SNAPSHOT)}: ${snapshot.length} bytes`);
} finally {
  await pg.close();
}
