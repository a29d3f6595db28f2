import type { Meme } from '@memelab/pipeline';
import { LRUCache } from 'lru-cache';

export interface DoneMemeCacheObserver {
  hit(): void;
  miss(): void;
  evicted(): void;
}

/**
 * Rendered memes by id, and the memegen URLs that named them, least recently used dropped
 * first. Only memes that are `done` are kept: a done meme never changes again (its row is
 * final and its image sits under a content-addressed key), so an entry never goes stale
 * and serving it needs no database query. Queued and failed memes are always read afresh.
 */
export class DoneMemeCache {
  private readonly byId: LRUCache<string, Meme> | undefined;
  private readonly idByUrl: LRUCache<string, string> | undefined;

  constructor(
    maxEntries: number,
    private readonly observer?: DoneMemeCacheObserver,
  ) {
    if (maxEntries <= 0) return;
    this.byId = new LRUCache({
      max: maxEntries,
      dispose: (_meme, _id, reason) => {
        if (reason === 'evict') observer?.evicted();
      },
    });
    this.idByUrl = new LRUCache({ max: maxEntries });
  }

  get size(): number {
    return this.byId?.size ?? 0;
  }

  /** The done meme with this id, when it is remembered. */
  get(id: string): Meme | undefined {
    const meme = this.byId?.get(id);
    if (meme === undefined) this.observer?.miss();
    else this.observer?.hit();
    return meme;
  }

  /** Remembers a meme when it is done; anything else is ignored. */
  remember(meme: Meme): void {
    if (meme.status === 'done') this.byId?.set(meme.id, meme);
  }

  /** The done meme a memegen URL (path and query, as received) named before, when remembered. */
  byUrl(url: string): Meme | undefined {
    const id = this.idByUrl?.get(url);
    const meme = id === undefined ? undefined : this.byId?.get(id);
    if (meme === undefined) this.observer?.miss();
    else this.observer?.hit();
    return meme;
  }

  /** Whether a memegen URL names a remembered done meme, without counting a lookup or refreshing it. */
  knowsUrl(url: string): boolean {
    const id = this.idByUrl?.peek(url);
    return id !== undefined && this.byId?.has(id) === true;
  }

  rememberUrl(url: string, meme: Meme): void {
    if (meme.status !== 'done' || this.idByUrl === undefined) return;
    this.remember(meme);
    this.idByUrl.set(url, meme.id);
  }
}
