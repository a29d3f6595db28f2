import type { Readable } from 'node:stream';

/**
 * The object store port: rendered memes and uploaded images, under content-addressed keys,
 * so writing the same key twice writes the same bytes. Adapters: a local directory
 * (embedded mode) and S3 (MinIO in a homelab, or AWS S3).
 */
export interface ObjectInfo {
  readonly key: string;
  readonly size: number;
  readonly contentType: string;
  /** A strong validator for HTTP caching, quoted as HTTP wants it. */
  readonly etag: string;
}

export interface StoredObject extends ObjectInfo {
  /** The object's bytes, or only the requested range's; `size` is always the whole object's. */
  readonly body: Readable;
}

/** Bytes `start` to `end` of an object, both included (an HTTP `Range`), within its size. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export interface ObjectStore {
  readonly kind: 'local' | 's3';
  /** Creates the bucket or directory when missing (idempotent). */
  setup(): Promise<void>;
  put(key: string, body: Uint8Array, contentType: string): Promise<ObjectInfo>;
  /** Undefined when there is no such object. With a range, the body holds those bytes only. */
  get(key: string, range?: ByteRange): Promise<StoredObject | undefined>;
  head(key: string): Promise<ObjectInfo | undefined>;
  delete(key: string): Promise<void>;
  /** Resolves when the store answers; used by readiness. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
