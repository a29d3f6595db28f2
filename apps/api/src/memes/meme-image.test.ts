import { randomBytes } from 'node:crypto';
import { canonicalizeMemeSpec, type MemeSpec, memeIdOf, parseMemeSpec } from '@memelab/core';
import { MemeRepository, memeObjectKey } from '@memelab/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../testing/test-stack.ts';

/**
 * Serving rendered images: validators, HEAD, ranges and the in-memory caches. The memes
 * are stored directly (row done, object in the store), as a worker leaves them, so no
 * rendering is needed; the largest is above the cache's per-object limit and always
 * streams from the store.
 */
const MAX_CACHED_OBJECT = 4096;
const IMAGES_PER_MINUTE = 3;

let stack: TestStack;
const url = (path: string): string => `${stack.baseUrl}${path}`;

interface StoredMeme {
  readonly id: string;
  readonly bytes: Buffer;
  readonly path: string;
}

const storeDoneMeme = async (input: Record<string, unknown>, size: number): Promise<StoredMeme> => {
  const spec: MemeSpec = canonicalizeMemeSpec(parseMemeSpec(input));
  const id = memeIdOf(spec);
  const bytes = randomBytes(size);
  const objectKey = memeObjectKey(id, spec.format);
  await stack.infrastructure.store.put(objectKey, bytes, 'image/jpeg');
  const memes = new MemeRepository(stack.infrastructure.db);
  await memes.insertIfAbsent({ id, spec, correlationId: undefined });
  await memes.markDone(id, { objectKey, width: 600, height: 600, bytes: size });
  return { id, bytes, path: `/m/${id}.${spec.format}` };
};

/** A counter's value for one cache from the Prometheus text (other labels, such as the role, may follow). */
const cacheCount = async (metric: 'hits' | 'misses' | 'evictions', cache: string): Promise<number> => {
  const text = await (await fetch(url('/metrics'))).text();
  const line = text
    .split('\n')
    .find((candidate) => new RegExp(`^memelab_cache_${metric}_total\\{cache="${cache}"[,}]`).test(candidate));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
};

let small: StoredMeme;
let large: StoredMeme;

beforeAll(async () => {
  stack = await startTestStack({
    worker: false,
    env: {
      IMAGE_CACHE_BYTES: String(3 * MAX_CACHED_OBJECT),
      IMAGE_CACHE_MAX_OBJECT_BYTES: String(MAX_CACHED_OBJECT),
      RATE_LIMIT_IMAGES_PER_MINUTE: String(IMAGES_PER_MINUTE),
    },
  });
  small = await storeDoneMeme({ template: 'rack-of-doom', captions: ['small', 'image'] }, 1000);
  large = await storeDoneMeme({ template: 'rack-of-doom', captions: ['large', 'image'] }, 3 * MAX_CACHED_OBJECT);
});

afterAll(async () => {
  await stack.stop();
});

describe('validators', () => {
  it('sends a strong etag and immutable caching, and 304 with no body to a client that has the image', async () => {
    const first = await fetch(url(small.path));
    const etag = first.headers.get('etag');
    expect(first.status).toBe(200);
    expect(etag).toBe(`"${small.id}"`);
    expect(Buffer.from(await first.arrayBuffer())).toEqual(small.bytes);

    for (const ifNoneMatch of [etag ?? '', `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await fetch(url(small.path), { headers: { 'if-none-match': ifNoneMatch } });
      expect(again.status).toBe(304);
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect((await again.arrayBuffer()).byteLength).toBe(0);
    }
  });

  it('sends the image again for an etag of another image', async () => {
    const response = await fetch(url(small.path), { headers: { 'if-none-match': '"someone-else"' } });
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(small.bytes);
  });
});

describe('HEAD', () => {
  it.each([
    ['a cached image', () => small],
    ['an image too large to cache', () => large],
  ])('describes %s without a body', async (_, meme) => {
    const { path, bytes } = meme();
    const response = await fetch(url(path), { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(bytes.byteLength));
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('etag')).toBe(`"${path.slice(3, 27)}"`);
    expect((await response.arrayBuffer()).byteLength).toBe(0);
  });

  it('answers HEAD of an unknown meme with 404', async () => {
    const response = await fetch(url(`/m/${'a'.repeat(24)}.jpg`), { method: 'HEAD' });
    expect(response.status).toBe(404);
  });
});

describe('ranges', () => {
  it.each([
    ['a cached image', () => small],
    ['an image too large to cache', () => large],
  ])('sends 206 with exactly the asked bytes of %s', async (_, meme) => {
    const { path, bytes } = meme();
    const size = bytes.byteLength;
    const cases = [
      ['bytes=0-99', 0, 99],
      ['bytes=100-', 100, size - 1],
      ['bytes=-10', size - 10, size - 1],
      [`bytes=${size - 1}-${size + 500}`, size - 1, size - 1],
    ] as const;
    for (const [range, start, end] of cases) {
      const response = await fetch(url(path), { headers: { range } });
      expect(response.status, range).toBe(206);
      expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end}/${size}`);
      expect(response.headers.get('content-length')).toBe(String(end - start + 1));
      expect(response.headers.get('etag')).toBe(`"${path.slice(3, 27)}"`);
      expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes.subarray(start, end + 1));
    }
  });

  it('answers a range outside the image with 416, the size in Content-Range and a problem', async () => {
    const response = await fetch(url(small.path), { headers: { range: 'bytes=5000-6000' } });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe(`bytes */${small.bytes.byteLength}`);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 416, code: 'RANGE_NOT_SATISFIABLE' });
  });

  it.each([
    ['several ranges', { range: 'bytes=0-9,20-29' }],
    ['a malformed range', { range: 'bytes=nine-ten' }],
    ['another unit', { range: 'items=0-1' }],
    ['an If-Range for another image', { range: 'bytes=0-9', 'if-range': '"other"' }],
    ['an If-Range date', { range: 'bytes=0-9', 'if-range': 'Wed, 21 Oct 2015 07:28:00 GMT' }],
  ])('sends the whole image for %s', async (_, headers) => {
    const response = await fetch(url(small.path), { headers });
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(small.bytes);
  });

  it('honours a range whose If-Range is the image etag', async () => {
    const response = await fetch(url(small.path), { headers: { range: 'bytes=0-9', 'if-range': `"${small.id}"` } });
    expect(response.status).toBe(206);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(small.bytes.subarray(0, 10));
  });
});

describe('caches', () => {
  it('counts image cache hits and misses: a small image is read from the store once, a large one every time', async () => {
    const meme = await storeDoneMeme({ template: 'pager-panic', captions: ['counted'] }, 2000);
    const before = { hits: await cacheCount('hits', 'images'), misses: await cacheCount('misses', 'images') };

    for (let index = 0; index < 3; index++) await (await fetch(url(meme.path))).arrayBuffer();
    for (let index = 0; index < 2; index++) await (await fetch(url(large.path))).arrayBuffer();

    expect((await cacheCount('misses', 'images')) - before.misses).toBe(1 + 2);
    expect((await cacheCount('hits', 'images')) - before.hits).toBe(2);
  });

  it('evicts the least recently used images once their bytes exceed IMAGE_CACHE_BYTES', async () => {
    const evictionsBefore = await cacheCount('evictions', 'images');
    const memes = await Promise.all(
      [1, 2, 3, 4].map((index) =>
        storeDoneMeme({ template: 'pager-panic', captions: [`evicted ${index}`] }, MAX_CACHED_OBJECT),
      ),
    );
    for (const meme of memes) await (await fetch(url(meme.path))).arrayBuffer();

    // The budget holds three such images: the first three to arrive were dropped one by one.
    const text = await (await fetch(url('/metrics'))).text();
    expect(text).toMatch(new RegExp(`^memelab_cache_bytes\\{cache="images"[^}]*\\} ${3 * MAX_CACHED_OBJECT}$`, 'm'));
    expect((await cacheCount('evictions', 'images')) - evictionsBefore).toBeGreaterThanOrEqual(1);
    const missesBefore = await cacheCount('misses', 'images');
    await (await fetch(url(memes[3]?.path ?? ''))).arrayBuffer();
    expect(await cacheCount('misses', 'images')).toBe(missesBefore);
    await (await fetch(url(memes[0]?.path ?? ''))).arrayBuffer();
    expect(await cacheCount('misses', 'images')).toBe(missesBefore + 1);
  });

  it('remembers a rendered meme, so asking for it again is a hit of the meme cache', async () => {
    const meme = await storeDoneMeme({ template: 'pager-panic', captions: ['remembered'] }, 500);
    const before = { hits: await cacheCount('hits', 'memes'), misses: await cacheCount('misses', 'memes') };

    await (await fetch(url(meme.path))).arrayBuffer();
    await (await fetch(url(meme.path))).arrayBuffer();
    await (await fetch(url(`/api/memes/${meme.id}`))).arrayBuffer();

    expect((await cacheCount('misses', 'memes')) - before.misses).toBe(1);
    expect((await cacheCount('hits', 'memes')) - before.hits).toBe(2);
  });

  it('serves a known memegen URL without counting it against the image rate limit', async () => {
    const meme = await storeDoneMeme({ template: 'rack-of-doom', captions: ['known', 'url'], format: 'jpg' }, 700);
    const path = '/images/rack-of-doom/known/url.jpg';

    for (let index = 0; index < IMAGES_PER_MINUTE + 3; index++) {
      const response = await fetch(url(path));
      expect(response.status, `request ${index + 1}`).toBe(200);
      expect(Buffer.from(await response.arrayBuffer())).toEqual(meme.bytes);
    }
    const head = await fetch(url(path), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('700');

    // URLs that may render still count: the limit is reached within a few unknown ones.
    const statuses: number[] = [];
    for (let index = 0; index <= IMAGES_PER_MINUTE; index++) {
      statuses.push((await fetch(url(`/images/no-such-template/${index}.jpg`))).status);
    }
    expect(statuses.at(-1)).toBe(429);
  });
});
