import type { Meme } from '@memelab/pipeline';
import { LRUCache } from 'lru-cache';

export interface DoneMemeCacheObserver {
  hit(): void;
  miss(): void;
  evicted(): void;
}

/**
 * What an entry holds in memory, estimated: strings as UTF-16, plus the objects around
 * them. A spec's captions can be up to 20 of 500 characters, so entries are weighed, not
 * counted; the estimate need only be right within a small factor.
 */
const MEME_OVERHEAD_BYTES = 1_024;
const URL_OVERHEAD_BYTES = 160;
const sizeOf = (value: Meme | string, key: string): number =>
  2 * key.length +
  (typeof value === 'string'
    ? URL_OVERHEAD_BYTES + 2 * value.length
    : MEME_OVERHEAD_BYTES + 2 * JSON.stringify(value.spec).length);

/**
 * Rendered memes by id, and the memegen URLs that named them, least recently used dropped
 * first, within a budget of bytes. Only memes that are `done` are kept: a done meme never
 * changes again (its row is final and its image sits under a content-addressed key), so an
 * entry never goes stale and serving it needs no database query. Queued and failed memes
 * are always read afresh.
 */
export class DoneMemeCache {
  /** `m:<id>` → the meme; `u:<url>` → the id it named. One budget for both. */
  private readonly entries: LRUCache<string, Meme | string> | undefined;

  constructor(
    maxBytes: number,
    private readonly observer?: DoneMemeCacheObserver,
  ) {
    if (maxBytes <= 0) return;
    this.entries = new LRUCache<string, Meme | string>({
      maxSize: maxBytes,
      sizeCalculation: sizeOf,
      dispose: (_value, key, reason) => {
        if (reason === 'evict' && key.startsWith('m:')) observer?.evicted();
      },
    });
  }

  /** Estimated bytes held, and entries (memes and URLs). */
  get stats(): { bytes: number; entries: number } {
    return { bytes: this.entries?.calculatedSize ?? 0, entries: this.entries?.size ?? 0 };
  }

  /** The done meme with this id, when it is remembered. */
  get(id: string): Meme | undefined {
    return this.counted(this.memeById(id));
  }

  /** Remembers a meme when it is done; anything else is ignored. */
  remember(meme: Meme): void {
    if (meme.status === 'done') this.entries?.set(`m:${meme.id}`, meme);
  }

  /** The done meme a memegen URL (path and query, as received) named before, when remembered. */
  byUrl(url: string): Meme | undefined {
    const id = this.entries?.get(`u:${url}`);
    return this.counted(typeof id === 'string' ? this.memeById(id) : undefined);
  }

  /** Whether a memegen URL names a remembered done meme, without counting a lookup or refreshing it. */
  knowsUrl(url: string): boolean {
    const id = this.entries?.peek(`u:${url}`);
    return typeof id === 'string' && this.entries?.has(`m:${id}`) === true;
  }

  rememberUrl(url: string, meme: Meme): void {
    if (meme.status !== 'done' || this.entries === undefined) return;
    this.remember(meme);
    this.entries.set(`u:${url}`, meme.id);
  }

  private memeById(id: string): Meme | undefined {
    const meme = this.entries?.get(`m:${id}`);
    return typeof meme === 'object' ? meme : undefined;
  }

  private counted(meme: Meme | undefined): Meme | undefined {
    if (meme === undefined) this.observer?.miss();
    else this.observer?.hit();
    return meme;
  }
}
