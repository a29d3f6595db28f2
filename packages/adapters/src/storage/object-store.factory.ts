import path from 'node:path';
import { LocalObjectStore } from './local-object-store.adapter.ts';
import type { ObjectStore } from './object-store.port.ts';
import type { S3ObjectStoreOptions } from './s3-object-store.adapter.ts';

export interface ObjectStoreConfig {
  /** Present in distributed mode (MinIO or AWS S3); absent in embedded mode. */
  readonly s3?: S3ObjectStoreOptions;
  /** The embedded-mode data directory; objects live under `<dataDir>/objects`. */
  readonly dataDir: string;
}

/** Local files, or S3 when `s3` is set; the S3 signing and XML code is imported only then. */
export const createObjectStore = async (config: ObjectStoreConfig): Promise<ObjectStore> => {
  if (config.s3 === undefined) return new LocalObjectStore(path.join(config.dataDir, 'objects'));
  const { S3ObjectStore } = await import('./s3-object-store.adapter.ts');
  return new S3ObjectStore(config.s3);
};
