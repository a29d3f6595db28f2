import { describe, expect, it } from 'vitest';
import { ByteBoundedLruCache } from './decoded-image-cache.ts';

describe('byte-bounded LRU cache', () => {
  it('evicts the least recently used entries once over its byte budget', () => {
    const cache = new ByteBoundedLruCache<string>(100);
    cache.set('a', 'A', 40);
    cache.set('b', 'B', 40);
    expect(cache.get('a')).toBe('A'); // a is now the most recent
    cache.set('c', 'C', 40);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('A');
    expect(cache.get('c')).toBe('C');
    expect(cache.bytes).toBe(80);
  });

  it('never holds an entry larger than the whole budget', () => {
    const cache = new ByteBoundedLruCache<string>(100);
    cache.set('huge', 'H', 101);
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });

  it('replaces an entry without counting it twice', () => {
    const cache = new ByteBoundedLruCache<string>(100);
    cache.set('a', 'A', 60);
    cache.set('a', 'A2', 70);
    expect(cache.bytes).toBe(70);
    expect(cache.get('a')).toBe('A2');
  });
});
