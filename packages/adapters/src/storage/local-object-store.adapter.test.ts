import { createHash } from 'node:crypto';
import { link, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalObjectStore } from './local-object-store.adapter.ts';
import { InvalidObjectKeyError } from './object-key.ts';
import { describeObjectStoreContract } from './testing/object-store-contract.ts';

const directories: string[] = [];

const makeDirectory = async (): Promise<string> => {
  const directory = await mkdtemp(path.join(tmpdir(), 'memelab-local-store-'));
  directories.push(directory);
  return directory;
};

const makeStore = async (): Promise<LocalObjectStore> => {
  const store = new LocalObjectStore(path.join(await makeDirectory(), 'objects'));
  await store.setup();
  return store;
};

const filesUnder = async (directory: string): Promise<string[]> =>
  (await readdir(directory, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)))
    .sort();

afterAll(async () => {
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
});

describeObjectStoreContract('LocalObjectStore', makeStore);

describe('LocalObjectStore', () => {
  describe('keys', () => {
    const escaping = [
      ['a parent segment', '../escape.jpg'],
      ['a parent segment in the middle', 'memes/../../escape.jpg'],
      ['an absolute path', '/tmp/escape.jpg'],
      ['a backslash', '..\\escape.jpg'],
      ['an empty segment', 'memes//a.jpg'],
      ['a trailing slash', 'memes/'],
      ['a NUL character', 'memes/a.jpg\0.png'],
      ['the empty key', ''],
      ['a current-directory segment', 'memes/./a.jpg'],
      ['a hidden segment', 'memes/.a.jpg.1234.tmp'],
      ['the metadata suffix', 'memes/a.jpg.meta.json'],
      ['a segment too long for a file name', `memes/${'a'.repeat(240)}.jpg`],
    ] as const;

    it.each(escaping)('rejects a key with %s on every operation and writes nothing', async (_, key) => {
      const base = await makeDirectory();
      const store = new LocalObjectStore(path.join(base, 'objects'));
      await store.setup();

      await expect(store.put(key, Buffer.from('x'), 'image/jpeg')).rejects.toThrow(InvalidObjectKeyError);
      await expect(store.get(key)).rejects.toThrow(InvalidObjectKeyError);
      await expect(store.head(key)).rejects.toThrow(InvalidObjectKeyError);
      await expect(store.delete(key)).rejects.toThrow(InvalidObjectKeyError);
      expect(await readdir(base, { recursive: true })).toEqual(['objects']);
    });

    it('names the key and the broken rule in the error', async () => {
      const store = await makeStore();

      await expect(store.get('../secret')).rejects.toThrow(
        'Invalid object key "../secret": it has a ".." path segment',
      );
    });

    it.each(['a', 'memes/ab/abcdef0123.jpg', 'uploads/x..y/name with spaces.png', 'memes/ünïcödé/画像.webp'])(
      'accepts the ordinary key %j',
      async (key) => {
        const store = await makeStore();

        await store.put(key, Buffer.from('x'), 'image/png');

        expect(await store.head(key)).toMatchObject({ key, size: 1 });
      },
    );

    it('stores the key as the same relative path under the root', async () => {
      const store = await makeStore();

      await store.put('memes/ab/abc.jpg', Buffer.from('bytes'), 'image/jpeg');

      expect(await readFile(path.join(store.root, 'memes/ab/abc.jpg'), 'utf8')).toBe('bytes');
    });
  });

  describe('metadata', () => {
    it('uses the quoted SHA-256 of the bytes as the etag', async () => {
      const store = await makeStore();
      const bytes = Buffer.from('a meme');

      const info = await store.put('a.jpg', bytes, 'image/jpeg');

      expect(info.etag).toBe(`"${createHash('sha256').update(bytes).digest('hex')}"`);
    });

    it('keeps content type and etag for a store reopened on the same root', async () => {
      const store = await makeStore();
      const info = await store.put('memes/a', Buffer.from('bytes'), 'image/gif');

      const reopened = new LocalObjectStore(store.root);

      expect(await reopened.head('memes/a')).toEqual(info);
    });

    it('reports a corrupted metadata file instead of serving the object', async () => {
      const store = await makeStore();
      await store.put('a.jpg', Buffer.from('bytes'), 'image/jpeg');
      await writeFile(path.join(store.root, 'a.jpg.meta.json'), '{"contentType":"image/jpeg"}');

      await expect(store.head('a.jpg')).rejects.toThrow(/malformed/);
    });
  });

  describe('delete', () => {
    it('removes both the image and its metadata from disk', async () => {
      const store = await makeStore();
      await store.put('memes/a.jpg', Buffer.from('x'), 'image/jpeg');

      await store.delete('memes/a.jpg');

      expect(await filesUnder(store.root)).toEqual([]);
    });
  });

  describe('crash safety', () => {
    it('leaves only objects and their metadata on disk, no temporary files', async () => {
      const store = await makeStore();

      await Promise.all([
        store.put('memes/ab/one.jpg', Buffer.from('1'), 'image/jpeg'),
        store.put('memes/ab/one.jpg', Buffer.from('1'), 'image/jpeg'),
        store.put('memes/cd/two.jpg', Buffer.from('2'), 'image/jpeg'),
      ]);

      expect(await filesUnder(store.root)).toEqual([
        'memes/ab/one.jpg',
        'memes/ab/one.jpg.meta.json',
        'memes/cd/two.jpg',
        'memes/cd/two.jpg.meta.json',
      ]);
    });

    it('replaces files by renaming, so a reader of the old file never sees new bytes in it', async () => {
      const store = await makeStore();
      await store.put('a.jpg', Buffer.from('old'), 'image/jpeg');
      const witnesses = path.join(path.dirname(store.root), 'witnesses');
      await mkdir(witnesses);
      await link(path.join(store.root, 'a.jpg'), path.join(witnesses, 'data'));
      await link(path.join(store.root, 'a.jpg.meta.json'), path.join(witnesses, 'meta'));
      const oldMetadata = await readFile(path.join(witnesses, 'meta'), 'utf8');

      await store.put('a.jpg', Buffer.from('new bytes'), 'image/png');

      expect(await readFile(path.join(witnesses, 'data'), 'utf8')).toBe('old');
      expect(await readFile(path.join(witnesses, 'meta'), 'utf8')).toBe(oldMetadata);
      expect((await store.head('a.jpg'))?.contentType).toBe('image/png');
    });

    it('treats an image file without its metadata as missing, as a crash between the two renames leaves it', async () => {
      const store = await makeStore();
      await mkdir(path.join(store.root, 'memes'));
      await writeFile(path.join(store.root, 'memes/a.jpg'), 'half an ima');

      expect(await store.get('memes/a.jpg')).toBeUndefined();
      expect(await store.head('memes/a.jpg')).toBeUndefined();
    });

    it('completes an object left without metadata when the put is retried', async () => {
      const store = await makeStore();
      await writeFile(path.join(store.root, 'a.jpg'), 'half an ima');

      await store.put('a.jpg', Buffer.from('a whole image'), 'image/jpeg');

      const stored = await store.get('a.jpg');
      stored?.body.destroy();
      expect(stored?.size).toBe('a whole image'.length);
      expect(await readFile(path.join(store.root, 'a.jpg'), 'utf8')).toBe('a whole image');
    });

    it('leaves no object and no temporary file behind when a write fails', async () => {
      const store = await makeStore();
      // A non-empty directory where the image should go makes the final rename fail.
      await mkdir(path.join(store.root, 'memes/a.jpg/blocker'), { recursive: true });

      await expect(store.put('memes/a.jpg', Buffer.from('image'), 'image/jpeg')).rejects.toThrow();

      expect(await readdir(path.join(store.root, 'memes'))).toEqual(['a.jpg']);
      expect(await store.head('memes/a.jpg')).toBeUndefined();
    });
  });

  describe('setup and ping', () => {
    it('creates a missing root on setup, and only then answers ping', async () => {
      const store = new LocalObjectStore(path.join(await makeDirectory(), 'deep/nested/objects'));

      await expect(store.ping()).rejects.toThrow();
      await store.setup();
      await store.setup();

      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('fails ping when the root is a file', async () => {
      const root = path.join(await makeDirectory(), 'objects');
      await writeFile(root, '');

      await expect(new LocalObjectStore(root).ping()).rejects.toThrow(/not a directory/);
    });

    it('keeps existing objects when setup runs again', async () => {
      const store = await makeStore();
      await store.put('a.jpg', Buffer.from('x'), 'image/jpeg');

      await store.setup();

      expect(await store.head('a.jpg')).toBeDefined();
    });
  });
});
