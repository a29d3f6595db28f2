import path from 'node:path';
import { LocalObjectStore } from './local-object-store.adapter.ts';
import type { ObjectStore } from './object-store.port.ts';
import { S3ObjectStore, type S3ObjectStoreOptions } from './s3-object-store.adapter.ts';

export interface ObjectStoreConfig {
  /** Present in distributed mode (MinIO or AWS S3); absent in embedded mode. */
  readonly s3?: S3ObjectStoreOptions;
  /** The embedded-mode data directory; objects live under `<dataDir>/objects`. */
  readonly dataDir: string;
}

export const createObjectStore = (config: ObjectStoreConfig): ObjectStore =>
  config.s3 === undefined ? new LocalObjectStore(path.join(config.dataDir, 'objects')) : new S3ObjectStore(config.s3);
