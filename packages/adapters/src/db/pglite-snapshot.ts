import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants } from 'node:zlib';
import type { PGlite } from '@electric-sql/pglite';

const decompress = promisify(brotliDecompress);
const compress = promisify(brotliCompress);

/**
 * A freshly initialised PGlite data directory: what `initdb` writes, before any migration,
 * as a tar archive compressed with Brotli (1.5 MB for a 40 MB directory). Running initdb in
 * WebAssembly costs several seconds of CPU; unpacking this costs a fifth of that, so a
 * first start in a new data directory, and every test database, skips it. Migrations are
 * not in it: they run on top as on any database, so adding one never makes it stale.
 * `npm run db:snapshot` writes it again, which an upgrade of PGlite needs.
 */
export const PGLITE_SNAPSHOT = new URL('./pglite-initdb.tar.br', import.meta.url);

let cached: Promise<Blob | undefined> | undefined;

/**
 * The snapshot as a tar archive, for PGlite's `loadDataDir`; undefined when the file is
 * missing (a build that left it out), in which case PGlite runs initdb instead.
 */
export function loadPgliteSnapshot(): Promise<Blob | undefined> {
  cached ??= readFile(PGLITE_SNAPSHOT).then(
    async (compressed) => new Blob([await decompress(compressed)]),
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    },
  );
  return cached;
}

/** The data directory of a database that initdb has just created, compressed as the snapshot is stored. */
export async function createPgliteSnapshot(pg: PGlite): Promise<Buffer> {
  const tar = Buffer.from(await (await pg.dumpDataDir('none')).arrayBuffer());
  return compress(tar, {
    params: {
      // Quality 9 with a 16 MB window: most of the directory is a WAL segment of zeros and
      // three near-identical databases, which a large window finds; 11 is 40x slower for 13% less.
      [constants.BROTLI_PARAM_QUALITY]: 9,
      [constants.BROTLI_PARAM_LGWIN]: 24,
      [constants.BROTLI_PARAM_SIZE_HINT]: tar.length,
    },
  });
}
