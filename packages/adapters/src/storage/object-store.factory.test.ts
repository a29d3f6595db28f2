import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalObjectStore } from './local-object-store.adapter.ts';
import { createObjectStore } from './object-store.factory.ts';
import { S3ObjectStore } from './s3-object-store.adapter.ts';

describe('createObjectStore', () => {
  it('stores objects under <dataDir>/objects when no S3 settings are given', async () => {
    const store = await createObjectStore({ dataDir: '/var/lib/memelab' });

    expect(store).toBeInstanceOf(LocalObjectStore);
    expect(store.kind).toBe('local');
    expect(store instanceof LocalObjectStore && store.root).toBe(path.resolve('/var/lib/memelab/objects'));
  });

  it('uses the configured bucket when S3 settings are given', async () => {
    const store = await createObjectStore({
      dataDir: '/var/lib/memelab',
      s3: { endpoint: 'http://minio:9000', region: 'us-east-1', bucket: 'memes' },
    });

    expect(store).toBeInstanceOf(S3ObjectStore);
    expect(store.kind).toBe('s3');
    expect(store instanceof S3ObjectStore && store.bucket).toBe('memes');
    await store.close();
  });
});
