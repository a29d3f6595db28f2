import { access, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unpackTar } from './pglite-snapshot.ts';

/** One ustar entry: a 512-byte header, then the content padded to whole blocks. */
const tarEntry = (name: string, options: { content?: string; directory?: boolean; mode?: number } = {}): Buffer => {
  const content = Buffer.from(options.content ?? '');
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write(`${(options.mode ?? (options.directory ? 0o750 : 0o600)).toString(8).padStart(7, '0')}\0`, 100);
  header.write(`${'0'.padStart(7, '0')}\0`, 108);
  header.write(`${'0'.padStart(7, '0')}\0`, 116);
  header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write(`${'0'.padStart(11, '0')}\0`, 136);
  header.write(options.directory ? '5' : '0', 156);
  header.write('ustar\0' + '00', 257);
  header.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const padded = Buffer.alloc(Math.ceil(content.length / 512) * 512);
  content.copy(padded);
  return Buffer.concat([header, padded]);
};

const archive = (...entries: Buffer[]): Buffer => Buffer.concat([...entries, Buffer.alloc(1024)]);

/** The archive in pieces of `size` bytes, as a decompressor hands it over. */
async function* inPieces(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

describe('unpacking a data directory archive', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'memelab-unpack-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('writes its directories and files with their modes, whatever the size of the pieces it arrives in', async () => {
    const bytes = archive(
      tarEntry('/base', { directory: true }),
      tarEntry('/base/1', { directory: true, mode: 0o700 }),
      tarEntry('/base/1/112', { content: 'x'.repeat(1500) }),
      tarEntry('/base/1/113', { content: '' }),
      tarEntry('/PG_VERSION', { content: '17\n' }),
      tarEntry('/postgresql.conf', { content: 'listen_addresses = ""\n', mode: 0o640 }),
    );
    for (const size of [7, 512, 100_000]) {
      const target = path.join(directory, String(size));
      await unpackTar(inPieces(bytes, size), target);
      expect(await readFile(path.join(target, 'base/1/112'), 'utf8')).toBe('x'.repeat(1500));
      expect(await readFile(path.join(target, 'base/1/113'), 'utf8')).toBe('');
      expect(await readFile(path.join(target, 'PG_VERSION'), 'utf8')).toBe('17\n');
      expect((await stat(path.join(target, 'postgresql.conf'))).mode & 0o777).toBe(0o640);
      expect((await stat(path.join(target, 'base/1'))).mode & 0o777).toBe(0o700);
    }
  });

  it('leaves no PG_VERSION behind when the archive stops in the middle, so the directory is not taken for a database', async () => {
    const whole = archive(
      tarEntry('/PG_VERSION', { content: '17\n' }),
      tarEntry('/global', { directory: true }),
      tarEntry('/global/1262', { content: 'y'.repeat(8192) }),
    );
    await expect(unpackTar(inPieces(whole.subarray(0, 2048), 512), directory)).rejects.toThrow(/middle of an entry/);
    await expect(access(path.join(directory, 'PG_VERSION'))).rejects.toThrow();
  });

  it('refuses an entry whose name leads out of the directory', async () => {
    const bytes = archive(tarEntry('../escaped', { content: 'no' }), tarEntry('/PG_VERSION', { content: '17\n' }));
    await expect(unpackTar(inPieces(bytes, 512), path.join(directory, 'db'))).rejects.toThrow(/outside its directory/);
    expect(await readdir(directory)).not.toContain('escaped');
  });
});
