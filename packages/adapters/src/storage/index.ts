export { LocalObjectStore } from './local-object-store.adapter.ts';
export {
  type CachedObject,
  isCachedObject,
  ObjectCache,
  type ObjectCacheObserver,
  type ObjectCacheOptions,
} from './object-cache.ts';
export { InvalidObjectKeyError } from './object-key.ts';
export { createObjectStore, type ObjectStoreConfig } from './object-store.factory.ts';
export type { ByteRange, ObjectInfo, ObjectStore, StoredObject } from './object-store.port.ts';
// S3 itself is `@memelab/adapters/s3`, so that importing this loads no S3 client.
export type { S3ObjectStoreOptions } from './s3-object-store.adapter.ts';
