import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalObjectStore } from './local-object-store.adapter.ts';
import { type CachedObject, isCachedObject, ObjectCache } from './object-cache.ts';
import type { ByteRange, ObjectStore, StoredObject } from './object-store.port.ts';

/** A real local store that counts the reads reaching it. */
class CountingStore extends LocalObjectStore {
  gets = 0;
  heads = 0;

  override async get(key: string, range?: ByteRange): Promise<StoredObject | undefined> {
    this.gets++;
    return super.get(key, range);
  }

  override async head(key: string) {
    this.heads++;
    return super.head(key);
  }
}

const counts = () => ({ hits: 0, misses: 0, evictions: 0 });

describe('ObjectCache', () => {
  let directory: string;
  let store: CountingStore;
  let seen: ReturnType<typeof counts>;

  const cacheOf = (maxBytes: number, maxObjectBytes = maxBytes, backing: ObjectStore = store) =>
    new ObjectCache(backing, {
      maxBytes,
      maxObjectBytes,
      observer: {
        hit: () => seen.hits++,
        miss: () => seen.misses++,
        evicted: () => seen.evictions++,
      },
    });

  const put = async (key: string, size: number): Promise<Buffer> => {
    const bytes = randomBytes(size);
    await store.put(key, bytes, 'image/jpeg');
    return bytes;
  };

  const bytesOf = async (read: CachedObject | StoredObject | undefined): Promise<Buffer> => {
    if (read === undefined) throw new Error('expected an object');
    return isCachedObject(read) ? read.bytes : buffer(read.body);
  };

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'memelab-object-cache-'));
    store = new CountingStore(directory);
    await store.setup();
    seen = counts();
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('reads an object from the store once, then answers from memory', async () => {
    const bytes = await put('memes/aa/one.jpg', 1000);
    const cache = cacheOf(10_000);

    const first = await cache.read('memes/aa/one.jpg');
    const second = await cache.read('memes/aa/one.jpg');

    expect(await bytesOf(first)).toEqual(bytes);
    expect(await bytesOf(second)).toEqual(bytes);
    expect(second).toMatchObject({ size: 1000, contentType: 'image/jpeg' });
    expect(store.gets).toBe(1);
    expect(seen).toEqual({ hits: 1, misses: 1, evictions: 0 });
    expect(cache.stats).toEqual({ bytes: 1000, entries: 1 });
  });

  it('evicts the least recently used objects once their bytes exceed the budget', async () => {
    await put('memes/aa/a.jpg', 400);
    await put('memes/aa/b.jpg', 400);
    await put('memes/aa/c.jpg', 400);
    const cache = cacheOf(1000);

    await cache.read('memes/aa/a.jpg');
    await cache.read('memes/aa/b.jpg');
    await cache.read('memes/aa/a.jpg'); // a is now more recent than b
    await cache.read('memes/aa/c.jpg'); // 1200 bytes > 1000: b goes

    expect(seen.evictions).toBe(1);
    expect(cache.stats).toEqual({ bytes: 800, entries: 2 });
    store.gets = 0;
    await cache.read('memes/aa/a.jpg');
    await cache.read('memes/aa/c.jpg');
    expect(store.gets).toBe(0);
    await cache.read('memes/aa/b.jpg');
    expect(store.gets).toBe(1);
  });

  it('streams an object larger than the per-object limit on every read and never holds it', async () => {
    const bytes = await put('memes/aa/large.png', 5000);
    const cache = cacheOf(100_000, 4096);

    const first = await cache.read('memes/aa/large.png');
    const second = await cache.read('memes/aa/large.png');

    expect(first !== undefined && isCachedObject(first)).toBe(false);
    expect(await bytesOf(first)).toEqual(bytes);
    expect(await bytesOf(second)).toEqual(bytes);
    expect(store.gets).toBe(2);
    expect(seen).toEqual({ hits: 0, misses: 2, evictions: 0 });
    expect(cache.stats.entries).toBe(0);
  });

  it('shares one store read between concurrent misses of the same key', async () => {
    const bytes = await put('memes/aa/hot.jpg', 2000);
    const cache = cacheOf(100_000);

    const reads = await Promise.all(Array.from({ length: 20 }, () => cache.read('memes/aa/hot.jpg')));

    expect(store.gets).toBe(1);
    for (const read of reads) expect(await bytesOf(read)).toEqual(bytes);
  });

  it('answers a missing object with undefined and remembers nothing', async () => {
    const cache = cacheOf(100_000);

    const [first, second] = await Promise.all([cache.read('memes/aa/nope.jpg'), cache.read('memes/aa/nope.jpg')]);

    expect(first).toBeUndefined();
    expect(second).toBeUndefined();
    expect(cache.stats.entries).toBe(0);
  });

  it('describes a small object by loading it, so the next read is a hit', async () => {
    await put('memes/aa/head.jpg', 300);
    const cache = cacheOf(100_000);

    const info = await cache.describe('memes/aa/head.jpg');
    const read = await cache.read('memes/aa/head.jpg');

    expect(info).toMatchObject({ key: 'memes/aa/head.jpg', size: 300, contentType: 'image/jpeg' });
    expect(read !== undefined && isCachedObject(read)).toBe(true);
    expect(store.gets).toBe(1);
    expect(seen).toEqual({ hits: 1, misses: 1, evictions: 0 });
  });

  it('describes a large object from the store without reading its bytes', async () => {
    await put('memes/aa/big.png', 5000);
    const cache = cacheOf(100_000, 4096);

    expect(await cache.describe('memes/aa/big.png')).toMatchObject({ size: 5000 });
    expect(store.gets).toBe(0);
    expect(store.heads).toBe(1);
  });

  it('serves a range from memory for a cached object and from the store for a large one', async () => {
    const small = await put('memes/aa/small.jpg', 1000);
    const large = await put('memes/aa/large.png', 5000);
    const cache = cacheOf(100_000, 4096);
    await cache.read('memes/aa/small.jpg');
    store.gets = 0;

    const fromMemory = await cache.readRange('memes/aa/small.jpg', { start: 10, end: 19 });
    const fromStore = await cache.readRange('memes/aa/large.png', { start: 4000, end: 4999 });

    expect(await bytesOf(fromMemory)).toEqual(small.subarray(10, 20));
    expect(fromMemory?.size).toBe(1000);
    expect(await bytesOf(fromStore)).toEqual(large.subarray(4000));
    expect(fromStore?.size).toBe(5000);
    expect(store.gets).toBe(1);
  });

  it('reads through to the store every time when its budget is 0', async () => {
    await put('memes/aa/one.jpg', 100);
    const cache = cacheOf(0);

    await cache.read('memes/aa/one.jpg');
    await cache.read('memes/aa/one.jpg');

    expect(store.gets).toBe(2);
    expect(seen).toEqual({ hits: 0, misses: 2, evictions: 0 });
  });
});
