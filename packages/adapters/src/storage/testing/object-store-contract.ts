import { randomBytes, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ObjectInfo, ObjectStore } from '../object-store.port.ts';

/**
 * The behaviour every ObjectStore adapter must share, run against each of them. `makeStore`
 * returns a fresh store; the contract calls `setup` and `close` itself. Keys are unique per
 * test, so stores may share a directory or bucket.
 */
export const describeObjectStoreContract = (name: string, makeStore: () => Promise<ObjectStore>): void => {
  describe(`${name} (ObjectStore contract)`, () => {
    let store: ObjectStore;
    let prefix: string;

    beforeEach(async () => {
      store = await makeStore();
      await store.setup();
      prefix = `contract/${randomUUID()}`;
    });

    afterEach(async () => {
      await store.close();
    });

    const keyOf = (suffix: string): string => `${prefix}/${suffix}`;

    it('returns the bytes and content type that were put', async () => {
      const bytes = randomBytes(1000);
      await store.put(keyOf('image.png'), bytes, 'image/png');

      const stored = await store.get(keyOf('image.png'));

      expect(stored?.contentType).toBe('image/png');
      expect(stored?.size).toBe(1000);
      expect(stored?.key).toBe(keyOf('image.png'));
      expect(await readAll(stored?.body)).toEqual(bytes);
    });

    it('reports the size, content type and etag from put', async () => {
      const info = await store.put(keyOf('a.jpg'), Buffer.from('meme'), 'image/jpeg');

      expect(info).toEqual({ key: keyOf('a.jpg'), size: 4, contentType: 'image/jpeg', etag: expect.any(String) });
    });

    it('gives a quoted strong etag', async () => {
      const { etag } = await store.put(keyOf('a.jpg'), Buffer.from('meme'), 'image/jpeg');

      expect(etag).toMatch(/^"[^"]+"$/);
    });

    it('gives the same etag to the same bytes under any key', async () => {
      const bytes = randomBytes(256);
      const first = await store.put(keyOf('one.jpg'), bytes, 'image/jpeg');
      const second = await store.put(keyOf('two.jpg'), Buffer.from(bytes), 'image/jpeg');

      expect(second.etag).toBe(first.etag);
      expect((await store.head(keyOf('two.jpg')))?.etag).toBe(first.etag);
    });

    it('gives different etags to different bytes', async () => {
      const first = await store.put(keyOf('one.jpg'), Buffer.from('first'), 'image/jpeg');
      const second = await store.put(keyOf('two.jpg'), Buffer.from('other'), 'image/jpeg');

      expect(second.etag).not.toBe(first.etag);
    });

    it('answers head and get with the same description as put', async () => {
      const info = await store.put(keyOf('a.webp'), randomBytes(300), 'image/webp');

      const head = await store.head(keyOf('a.webp'));
      const stored = await store.get(keyOf('a.webp'));
      stored?.body.destroy();

      expect(head).toEqual(info);
      expect(stored && infoOf(stored)).toEqual(info);
    });

    it('answers get and head of a missing key with undefined', async () => {
      expect(await store.get(keyOf('missing.jpg'))).toBeUndefined();
      expect(await store.head(keyOf('missing.jpg'))).toBeUndefined();
    });

    it('replaces the bytes and content type when a key is put again', async () => {
      await store.put(keyOf('a'), Buffer.from('old bytes'), 'image/png');
      await store.put(keyOf('a'), Buffer.from('new'), 'image/jpeg');

      const stored = await store.get(keyOf('a'));

      expect(stored?.contentType).toBe('image/jpeg');
      expect(stored?.size).toBe(3);
      expect((await readAll(stored?.body)).toString()).toBe('new');
    });

    it('accepts putting the same bytes under the same key twice', async () => {
      const bytes = randomBytes(64);
      const first = await store.put(keyOf('a.jpg'), bytes, 'image/jpeg');
      const second = await store.put(keyOf('a.jpg'), bytes, 'image/jpeg');

      expect(second).toEqual(first);
      expect(await readAll((await store.get(keyOf('a.jpg')))?.body)).toEqual(bytes);
    });

    it('forgets a deleted object and leaves its neighbours alone', async () => {
      await store.put(keyOf('gone.jpg'), Buffer.from('x'), 'image/jpeg');
      await store.put(keyOf('kept.jpg'), Buffer.from('y'), 'image/jpeg');

      await store.delete(keyOf('gone.jpg'));

      expect(await store.head(keyOf('gone.jpg'))).toBeUndefined();
      expect(await store.get(keyOf('gone.jpg'))).toBeUndefined();
      expect(await store.head(keyOf('kept.jpg'))).toBeDefined();
    });

    it('accepts deleting a key that does not exist', async () => {
      await expect(store.delete(keyOf('never-put.jpg'))).resolves.toBeUndefined();
    });

    it('keeps objects under nested prefixes apart', async () => {
      const keys = ['memes/ab/abcdef.jpg', 'memes/ab/abcdeg.jpg', 'memes/cd/abcdef.jpg', 'uploads/ab/abcdef.jpg'];
      for (const [index, key] of keys.entries()) {
        await store.put(keyOf(key), Buffer.from(`object ${index}`), 'image/jpeg');
      }

      for (const [index, key] of keys.entries()) {
        expect((await readAll((await store.get(keyOf(key)))?.body)).toString()).toBe(`object ${index}`);
      }
    });

    it('returns only the bytes of a requested range, with the size of the whole object', async () => {
      const bytes = randomBytes(1000);
      const info = await store.put(keyOf('ranged.jpg'), bytes, 'image/jpeg');

      const first = await store.get(keyOf('ranged.jpg'), { start: 0, end: 99 });
      const middle = await store.get(keyOf('ranged.jpg'), { start: 500, end: 749 });
      const last = await store.get(keyOf('ranged.jpg'), { start: 999, end: 999 });

      expect(await readAll(first?.body)).toEqual(bytes.subarray(0, 100));
      expect(await readAll(middle?.body)).toEqual(bytes.subarray(500, 750));
      expect(await readAll(last?.body)).toEqual(bytes.subarray(999));
      expect(middle && infoOf(middle)).toEqual(info);
    });

    it('answers a ranged get of a missing key with undefined', async () => {
      expect(await store.get(keyOf('missing.jpg'), { start: 0, end: 9 })).toBeUndefined();
    });

    it('streams a 5 MB object intact, in several chunks', async () => {
      const bytes = randomBytes(5 * 1024 * 1024);
      await store.put(keyOf('large.png'), bytes, 'image/png');

      const stored = await store.get(keyOf('large.png'));
      const chunks = await readChunks(stored?.body);

      expect(stored?.size).toBe(bytes.byteLength);
      expect(chunks.length).toBeGreaterThan(1);
      expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    });
  });
};

const infoOf = ({ key, size, contentType, etag }: ObjectInfo): ObjectInfo => ({ key, size, contentType, etag });

const readChunks = async (body: Readable | undefined): Promise<Buffer[]> => {
  if (body === undefined) throw new Error('expected an object, got undefined');
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return chunks;
};

const readAll = async (body: Readable | undefined): Promise<Buffer> => Buffer.concat(await readChunks(body));
