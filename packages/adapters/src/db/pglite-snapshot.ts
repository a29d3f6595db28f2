import { createReadStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants, createBrotliDecompress } from 'node:zlib';
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

/**
 * Unpacks the snapshot into `directory` (an empty data directory) as files on disk, which
 * PGlite then opens like any existing database. Handing PGlite the archive instead
 * (`loadDataDir`) costs ~1 s of main-thread CPU on a first start: the 40 MB archive is
 * copied into a Blob, out of it again and through PGlite's own tar reader. Here Brotli
 * streams on the thread pool and the files are written as their bytes arrive. PG_VERSION,
 * which marks a directory as a database, is written last, so an unpack that stops halfway
 * leaves a directory that the next start unpacks again. False when the snapshot is missing.
 */
export async function unpackPgliteSnapshot(directory: string): Promise<boolean> {
  const source = createReadStream(PGLITE_SNAPSHOT, { highWaterMark: 1 << 20 });
  const opened = await new Promise<boolean>((resolve, reject) => {
    source.once('open', () => resolve(true));
    source.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? resolve(false) : reject(error)));
  });
  if (!opened) return false;
  await unpackTar(source.pipe(createBrotliDecompress({ chunkSize: 1 << 20 })), directory);
  return true;
}

/** Unpacks a ustar archive of directories and regular files into `directory`, writing PG_VERSION last. */
export async function unpackTar(archive: AsyncIterable<Buffer>, directory: string): Promise<void> {
  const tar = new TarUnpacker(directory);
  for await (const chunk of archive) await tar.write(chunk);
  await tar.end();
}

const TAR_BLOCK = 512;
/** Written after every other file: its presence is what makes a directory a database. */
const VERSION_FILE = 'PG_VERSION';
/** File writes in flight at once: enough to keep libuv's thread pool busy without queueing the whole archive. */
const WRITES_IN_FLIGHT = 16;

interface TarFile {
  readonly name: string;
  readonly mode: number;
  remaining: number;
  padding: number;
  readonly chunks: Buffer[];
}

/** Reads a ustar archive (what PGlite's `dumpDataDir` writes: directories and regular files) into a directory. */
class TarUnpacker {
  readonly #root: string;
  #pending: Buffer = Buffer.alloc(0);
  #file: TarFile | undefined;
  #versionFile: TarFile | undefined;
  #ended = false;
  readonly #writes = new Set<Promise<void>>();
  #failure: { error: unknown } | undefined;

  constructor(root: string) {
    this.#root = path.resolve(root);
  }

  async write(chunk: Buffer): Promise<void> {
    let data = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    this.#pending = Buffer.alloc(0);
    while (data.length > 0 && !this.#ended) {
      if (this.#file !== undefined) {
        data = await this.#takeFileData(this.#file, data);
        continue;
      }
      if (data.length < TAR_BLOCK) break;
      const header = data.subarray(0, TAR_BLOCK);
      data = data.subarray(TAR_BLOCK);
      await this.#startEntry(header);
    }
    // The rest of a header: copied, since the decompressor may reuse its output buffer.
    this.#pending = Buffer.from(data);
  }

  async end(): Promise<void> {
    await Promise.all(this.#writes);
    this.#throwIfFailed();
    if (this.#file !== undefined || this.#pending.some((byte) => byte !== 0))
      throw new Error('The PGlite snapshot ends in the middle of an entry');
    if (this.#versionFile === undefined) throw new Error(`The PGlite snapshot has no ${VERSION_FILE}`);
    await writeTarFile(this.#versionFile);
  }

  async #startEntry(header: Buffer): Promise<void> {
    if (header.every((byte) => byte === 0)) {
      // A zero block ends the archive.
      this.#ended = true;
      return;
    }
    const field = (offset: number, length: number) =>
      header.toString('utf8', offset, offset + length).replace(/\0.*$/s, '');
    const octal = (offset: number, length: number) => Number.parseInt(field(offset, length).trim() || '0', 8);
    const prefix = field(345, 155);
    const name = this.#target(prefix === '' ? field(0, 100) : `${prefix}/${field(0, 100)}`);
    const mode = octal(100, 8) & 0o7777;
    const size = octal(124, 12);
    const type = field(156, 1) || '0';
    if (type === '5') {
      // Directories come before their files, so their files' writes can start at once.
      await mkdir(name, { recursive: true, mode });
      return;
    }
    if (type !== '0') throw new Error(`The PGlite snapshot holds an entry of tar type ${type}, which is not unpacked`);
    this.#file = { name, mode, remaining: size, padding: (TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK, chunks: [] };
    if (size === 0) await this.#finishFile(this.#file);
  }

  /** Takes the current file's bytes and padding from the front of `data`; returns what follows them. */
  async #takeFileData(file: TarFile, data: Buffer): Promise<Buffer> {
    if (file.remaining > 0) {
      const bytes = data.subarray(0, file.remaining);
      file.chunks.push(bytes);
      file.remaining -= bytes.length;
      data = data.subarray(bytes.length);
      if (file.remaining > 0) return data;
    }
    const skipped = Math.min(file.padding, data.length);
    file.padding -= skipped;
    if (file.padding === 0) await this.#finishFile(file);
    return data.subarray(skipped);
  }

  async #finishFile(file: TarFile): Promise<void> {
    this.#file = undefined;
    if (file.name === path.join(this.#root, VERSION_FILE)) {
      this.#versionFile = file;
      return;
    }
    this.#throwIfFailed();
    if (this.#writes.size >= WRITES_IN_FLIGHT) await Promise.race(this.#writes);
    const write = writeTarFile(file).catch((error: unknown) => {
      this.#failure ??= { error };
    });
    this.#writes.add(write);
    void write.finally(() => this.#writes.delete(write));
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure.error;
  }

  /** The path an entry unpacks to, refusing names that would leave the directory. */
  #target(name: string): string {
    const target = path.resolve(this.#root, `.${path.posix.sep}${name.replace(/^\/+/, '')}`);
    if (target !== this.#root && !target.startsWith(this.#root + path.sep))
      throw new Error(`The PGlite snapshot names a path outside its directory: ${name}`);
    return target;
  }
}

const writeTarFile = (file: TarFile): Promise<void> =>
  writeFile(file.name, file.chunks.length === 1 ? (file.chunks[0] as Buffer) : Buffer.concat(file.chunks), {
    mode: file.mode,
  });

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
