// s3rver stands in for MinIO here because no MinIO binary can be installed on these
// machines; the adapter makes only plain S3 API calls that MinIO and AWS S3 serve alike.

import { mkdtemp, rm } from 'node:fs/promises';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalObjectStore } from './local-object-store.adapter.ts';
import { S3ObjectStore } from './s3-object-store.adapter.ts';
import { describeObjectStoreContract } from './testing/object-store-contract.ts';
import { type S3TestServer, startS3TestServer } from './testing/s3-test-server.ts';

let server: S3TestServer;
let bucketCount = 0;

beforeAll(async () => {
  server = await startS3TestServer();
});

afterAll(async () => {
  await server.stop();
});

const storeFor = (bucket: string): S3ObjectStore =>
  new S3ObjectStore({
    endpoint: server.endpoint,
    region: server.region,
    bucket,
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
  });

const freshBucketName = (): string => {
  bucketCount += 1;
  return `memelab-test-${process.pid}-${bucketCount}`;
};

/** A port on 127.0.0.1 that was free a moment ago and that nothing listens on now. */
const closedPort = async (): Promise<number> => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve, reject) => probe.close((error) => (error ? reject(error) : resolve())));
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
  return address.port;
};

describeObjectStoreContract('S3ObjectStore', async () => storeFor('memelab-contract'));

describe('S3ObjectStore against an S3 server', () => {
  it('creates a missing bucket on setup, and setup can run again', async () => {
    const store = storeFor(freshBucketName());

    await expect(store.ping()).rejects.toThrow(/is not reachable/);
    await store.setup();
    await store.setup();

    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
  });

  it('lets several replicas set up the same bucket at once', async () => {
    const bucket = freshBucketName();
    const replicas = [storeFor(bucket), storeFor(bucket), storeFor(bucket)];

    await Promise.all(replicas.map((replica) => replica.setup()));

    await expect(replicas[0]?.ping()).resolves.toBeUndefined();
    await Promise.all(replicas.map((replica) => replica.close()));
  });

  it('keeps objects when setup runs again', async () => {
    const store = storeFor(freshBucketName());
    await store.setup();
    await store.put('memes/a.jpg', Buffer.from('x'), 'image/jpeg');

    await store.setup();

    expect(await store.head('memes/a.jpg')).toBeDefined();
    await store.close();
  });

  it('reports a missing bucket as an error, not as a missing object', async () => {
    const store = storeFor(freshBucketName());

    await expect(store.get('memes/a.jpg')).rejects.toThrow();
    await store.close();
  });

  it('refuses a put into a missing bucket with the S3 error code', async () => {
    const store = storeFor(freshBucketName());

    await expect(store.put('memes/aa/a.jpg', new Uint8Array([1, 2, 3]), 'image/jpeg')).rejects.toThrow(
      /404 NoSuchBucket/,
    );
    await store.close();
  });

  it('stores keys with characters a URL must escape as written', async () => {
    const store = storeFor(freshBucketName());
    await store.setup();

    await store.put('memes/aa/with space+plus.jpg', new Uint8Array([7]), 'image/jpeg');

    expect((await store.head('memes/aa/with space+plus.jpg'))?.size).toBe(1);
    expect(await store.head('memes/aa/with%20space%2Bplus.jpg')).toBeUndefined();
    await store.close();
  });

  it('gives the same etag as the local store for the same bytes', async (context) => {
    const directory = await mkdtemp(path.join(tmpdir(), 'memelab-etag-'));
    context.onTestFinished(() => rm(directory, { recursive: true, force: true }));
    const local = new LocalObjectStore(directory);
    const s3 = storeFor(freshBucketName());
    await s3.setup();
    const bytes = Buffer.from('the same meme');

    const fromS3 = await s3.put('memes/a.jpg', bytes, 'image/jpeg');
    const fromLocal = await local.put('memes/a.jpg', bytes, 'image/jpeg');

    expect(fromS3.etag).toBe(fromLocal.etag);
    expect((await s3.head('memes/a.jpg'))?.etag).toBe(fromLocal.etag);
    await s3.close();
  });

  it('falls back to the S3 ETag for objects written by other tools', async () => {
    const bucket = freshBucketName();
    const store = storeFor(bucket);
    await store.setup();
    const client = new S3Client({
      endpoint: server.endpoint,
      region: server.region,
      forcePathStyle: true,
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    });
    const written = await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'uploads/a.png', Body: 'png bytes', ContentType: 'image/png' }),
    );

    const info = await store.head('uploads/a.png');

    expect(info?.etag).toBe(written.ETag);
    expect(info?.etag).toMatch(/^"[0-9a-f]{32}"$/);
    client.destroy();
    await store.close();
  });

  it('fails ping within a few seconds when nothing listens at the endpoint', async () => {
    const store = new S3ObjectStore({
      endpoint: `http://127.0.0.1:${await closedPort()}`,
      region: 'us-east-1',
      bucket: 'memes',
      accessKeyId: 'id',
      secretAccessKey: 'secret',
    });
    const started = performance.now();

    await expect(store.ping()).rejects.toThrow(/is not reachable/);

    expect(performance.now() - started).toBeLessThan(5_000);
    await store.close();
  });

  it('fails ping within a few seconds when the endpoint accepts connections but never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const store = new S3ObjectStore({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      bucket: 'memes',
      accessKeyId: 'id',
      secretAccessKey: 'secret',
    });
    const started = performance.now();

    await expect(store.ping()).rejects.toThrow(/is not reachable/);

    expect(performance.now() - started).toBeLessThan(8_000);
    await store.close();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });
});
