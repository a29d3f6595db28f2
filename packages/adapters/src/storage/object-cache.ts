import { buffer } from 'node:stream/consumers';
import { LRUCache } from 'lru-cache';
import type { ByteRange, ObjectInfo, ObjectStore, StoredObject } from './object-store.port.ts';

/** An object held in memory: its description and all of its bytes. */
export interface CachedObject extends ObjectInfo {
  readonly bytes: Buffer;
}

export interface ObjectCacheObserver {
  /** A read answered from memory. */
  hit(): void;
  /** A read that went to the store. */
  miss(): void;
  /** An object dropped to make room for others. */
  evicted(): void;
}

export interface ObjectCacheOptions {
  /** Memory for the bytes of cached objects; 0 turns the cache off (every read goes to the store). */
  readonly maxBytes: number;
  /** Objects larger than this are streamed from the store on every read and never held. */
  readonly maxObjectBytes: number;
  readonly observer?: ObjectCacheObserver;
}

export const isCachedObject = (object: CachedObject | StoredObject): object is CachedObject => 'bytes' in object;

/** What a load left for reads of the same key that waited on it. */
type Loaded = CachedObject | undefined | 'read it yourself';

/**
 * The hot objects of a store in memory, least recently used dropped first, bounded by the
 * bytes they hold. Meant for objects that never change under their key (the store's keys
 * are content-addressed: putting a key again writes the same bytes), so an entry never
 * goes stale and needs no expiry. Objects above `maxObjectBytes` always stream from the
 * store, so one large file cannot flush the hot set.
 *
 * Concurrent misses for one key share a single load: when a popular image drops out, the
 * requests that arrive during its reload wait for that read instead of each reading the
 * object again. (lru-cache's own `fetch` deduplicates too, but it can only hand every
 * caller the cached value, and a large object must reach its one caller as a stream.)
 */
export class ObjectCache {
  private readonly entries: LRUCache<string, CachedObject> | undefined;
  private readonly loading = new Map<string, Promise<Loaded>>();
  private readonly maxObjectBytes: number;
  private readonly observer: ObjectCacheObserver | undefined;

  constructor(
    private readonly store: ObjectStore,
    options: ObjectCacheOptions,
  ) {
    this.observer = options.observer;
    this.maxObjectBytes = Math.min(options.maxObjectBytes, options.maxBytes);
    this.entries =
      options.maxBytes > 0 && this.maxObjectBytes > 0
        ? new LRUCache<string, CachedObject>({
            maxSize: options.maxBytes,
            maxEntrySize: this.maxObjectBytes,
            sizeCalculation: (object) => Math.max(1, object.bytes.byteLength),
            dispose: (_object, _key, reason) => {
              if (reason === 'evict') this.observer?.evicted();
            },
          })
        : undefined;
  }

  /** Bytes held and objects cached. */
  get stats(): { bytes: number; entries: number } {
    return { bytes: this.entries?.calculatedSize ?? 0, entries: this.entries?.size ?? 0 };
  }

  /**
   * The whole object: from memory, or read from the store (and kept when it is small
   * enough). A large object comes back as the store's stream. Undefined when missing.
   */
  async read(key: string): Promise<CachedObject | StoredObject | undefined> {
    const hit = this.entries?.get(key);
    if (hit !== undefined) {
      this.observer?.hit();
      return hit;
    }
    this.observer?.miss();
    if (this.entries === undefined) return this.store.get(key);
    const pending = this.loading.get(key);
    if (pending !== undefined) {
      const loaded = await pending;
      return loaded === 'read it yourself' ? this.store.get(key) : loaded;
    }
    return this.load(key);
  }

  /**
   * The object's description without its body: from memory, or from the store, reading a
   * small object in whole on the way (a HEAD or a range request is usually followed by more).
   */
  async describe(key: string): Promise<ObjectInfo | undefined> {
    const hit = this.entries?.get(key);
    if (hit !== undefined) {
      this.observer?.hit();
      return hit;
    }
    const info = await this.store.head(key);
    if (info === undefined || this.entries === undefined || info.size > this.maxObjectBytes) {
      this.observer?.miss();
      return info;
    }
    const read = await this.read(key);
    if (read !== undefined && !isCachedObject(read)) read.body.destroy();
    return read;
  }

  /** A range of the object, within the size `describe` gave: sliced from memory, else streamed from the store. */
  async readRange(key: string, range: ByteRange): Promise<CachedObject | StoredObject | undefined> {
    const hit = this.entries?.get(key);
    if (hit !== undefined) return { ...hit, bytes: hit.bytes.subarray(range.start, range.end + 1) };
    return this.store.get(key, range);
  }

  private async load(key: string): Promise<CachedObject | StoredObject | undefined> {
    let settle: (loaded: Loaded) => void = () => {};
    this.loading.set(
      key,
      new Promise<Loaded>((resolve) => {
        settle = resolve;
      }),
    );
    let loaded: Loaded = 'read it yourself';
    try {
      const object = await this.store.get(key);
      if (object === undefined) {
        loaded = undefined;
        return undefined;
      }
      if (object.size > this.maxObjectBytes) return object;
      const { body, ...info } = object;
      const bytes = await buffer(body);
      const cached: CachedObject = { ...info, size: bytes.byteLength, bytes };
      // A short read (the object replaced or cut mid-read) is served as read but never kept.
      if (bytes.byteLength === object.size) this.entries?.set(key, cached);
      loaded = cached;
      return cached;
    } finally {
      this.loading.delete(key);
      settle(loaded);
    }
  }
}
