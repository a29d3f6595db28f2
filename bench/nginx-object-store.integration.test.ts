import { buffer } from 'node:stream/consumers';
import type { S3TestServer } from '@memelab/adapters/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../packages/adapters/src/storage/s3-object-store.adapter.ts';
import { startNginxObjectStore } from './nginx-object-store.ts';

let server: S3TestServer;

beforeAll(async () => {
  server = await startNginxObjectStore();
});

afterAll(async () => {
  await server?.stop();
});

const storeFor = (directPut: boolean): S3ObjectStore =>
  new S3ObjectStore({
    endpoint: server.endpoint,
    region: server.region,
    bucket: 'memes',
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
    directPut,
  });

describe('nginx as the pipeline benchmark’s object store', () => {
  it.each([
    ['the direct signed PUT', true],
    ["the SDK's PutObject", false],
  ])('takes an upload through %s and serves the same bytes back', async (_name, directPut) => {
    const store = storeFor(directPut);
    try {
      await store.setup();
      await store.ping();
      const key = `memes/${directPut ? 'direct' : 'sdk'}/0123456789abcdef.jpg`;
      const body = Buffer.from(Array.from({ length: 90_000 }, (_, index) => (index * 7) % 256));

      await store.put(key, body, 'image/jpeg');

      const head = await store.head(key);
      expect(head?.size).toBe(body.byteLength);
      const stored = await store.get(key);
      if (stored === undefined) throw new Error(`${key} was not stored`);
      expect(stored.contentType).toBe('image/jpeg');
      expect((await buffer(stored.body)).equals(body)).toBe(true);

      await store.delete(key);
      expect(await store.head(key)).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('stops its nginx and removes its files', async () => {
    const other = await startNginxObjectStore();
    const url = `${other.endpoint}/memes`;
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(200);

    await other.stop();

    await expect(fetch(url, { method: 'HEAD' })).rejects.toThrow();
  });
});
