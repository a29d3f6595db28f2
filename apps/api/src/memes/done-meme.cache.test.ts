import type { Meme } from '@memelab/pipeline';
import { beforeEach, describe, expect, it } from 'vitest';
import { DoneMemeCache } from './done-meme.cache.ts';

const memeOf = (id: string, status: Meme['status'], captions: string[] = ['top', 'bottom']): Meme => ({
  id,
  spec: { template: 'rack-of-doom', captions, format: 'jpg' },
  templateId: 'rack-of-doom',
  status,
  format: 'jpg',
  objectKey: status === 'done' ? `memes/${id.slice(0, 2)}/${id}.jpg` : null,
  width: 600,
  height: 600,
  bytes: 1000,
  attempts: 1,
  failureReason: status === 'failed' ? 'broken' : null,
  correlationId: null,
  createdAt: new Date(0),
  publishedAt: new Date(0),
  renderedAt: status === 'done' ? new Date(0) : null,
});

describe('DoneMemeCache', () => {
  let seen: { hits: number; misses: number; evictions: number };
  const observer = {
    hit: () => seen.hits++,
    miss: () => seen.misses++,
    evicted: () => seen.evictions++,
  };

  beforeEach(() => {
    seen = { hits: 0, misses: 0, evictions: 0 };
  });

  it('remembers done memes and counts hits and misses', () => {
    const cache = new DoneMemeCache(1_000_000, observer);
    const meme = memeOf('aaaa', 'done');

    expect(cache.get('aaaa')).toBeUndefined();
    cache.remember(meme);

    expect(cache.get('aaaa')).toBe(meme);
    expect(seen).toEqual({ hits: 1, misses: 1, evictions: 0 });
  });

  it('never remembers a queued or failed meme, which may still change', () => {
    const cache = new DoneMemeCache(1_000_000, observer);

    cache.remember(memeOf('queued', 'queued'));
    cache.remember(memeOf('failed', 'failed'));
    cache.rememberUrl('/images/rack-of-doom/a.jpg', memeOf('queued', 'queued'));

    expect(cache.get('queued')).toBeUndefined();
    expect(cache.get('failed')).toBeUndefined();
    expect(cache.knowsUrl('/images/rack-of-doom/a.jpg')).toBe(false);
    expect(cache.stats.entries).toBe(0);
  });

  it('finds a meme by the memegen URL that named it; knowsUrl neither counts nor refreshes', () => {
    const cache = new DoneMemeCache(1_000_000, observer);
    const meme = memeOf('bbbb', 'done');
    cache.rememberUrl('/images/rack-of-doom/top/bottom.jpg', meme);

    expect(cache.knowsUrl('/images/rack-of-doom/top/bottom.jpg')).toBe(true);
    expect(cache.knowsUrl('/images/rack-of-doom/other.jpg')).toBe(false);
    expect(seen).toEqual({ hits: 0, misses: 0, evictions: 0 });
    expect(cache.byUrl('/images/rack-of-doom/top/bottom.jpg')).toBe(meme);
    expect(cache.get('bbbb')).toBe(meme);
    expect(cache.byUrl('/images/rack-of-doom/other.jpg')).toBeUndefined();
    expect(seen).toEqual({ hits: 2, misses: 1, evictions: 0 });
  });

  it('weighs memes by their captions and drops the least recently used beyond its bytes', () => {
    const long = Array.from({ length: 20 }, () => 'x'.repeat(500));
    const cache = new DoneMemeCache(100_000, observer);
    const small = memeOf('small', 'done');
    cache.remember(small);

    for (let index = 0; index < 10; index++) cache.remember(memeOf(`large-${index}`, 'done', long));

    // Each large meme weighs over 20 KB: at most four fit beside nothing else.
    expect(cache.get('small')).toBeUndefined();
    expect(cache.get('large-9')).toBeDefined();
    expect(cache.get('large-0')).toBeUndefined();
    expect(cache.stats.bytes).toBeLessThanOrEqual(100_000);
    expect(cache.stats.entries).toBeLessThanOrEqual(4);
    expect(seen.evictions).toBeGreaterThanOrEqual(7);
  });

  it('holds nothing with a budget of 0', () => {
    const cache = new DoneMemeCache(0, observer);
    cache.remember(memeOf('cccc', 'done'));
    cache.rememberUrl('/images/rack-of-doom/c.jpg', memeOf('cccc', 'done'));

    expect(cache.get('cccc')).toBeUndefined();
    expect(cache.knowsUrl('/images/rack-of-doom/c.jpg')).toBe(false);
    expect(cache.stats).toEqual({ bytes: 0, entries: 0 });
  });
});
