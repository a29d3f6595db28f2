import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidObjectKeyError } from './object-key.ts';
import { S3ObjectStore, type S3ObjectStoreOptions } from './s3-object-store.adapter.ts';

interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** Answers every request with an empty 200 and remembers what arrived. */
const startRecorder = async (): Promise<{ server: Server; port: number; requests: RecordedRequest[] }> => {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
      response.writeHead(200, { ETag: '"0123456789abcdef0123456789abcdef"', 'Content-Length': '0' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, requests };
};

const credentials = { accessKeyId: 'id', secretAccessKey: 'secret' };
// An address nothing listens on, for tests that must fail before any request is sent.
const offline: S3ObjectStoreOptions = { endpoint: 'http://127.0.0.1:9', region: 'us-east-1', bucket: 'memes' };

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

const storeAtRecorder = async (options: Partial<S3ObjectStoreOptions> = {}) => {
  const recorder = await startRecorder();
  // A host name rather than an IP address: the SDK would use path style for an IP on its own.
  const store = new S3ObjectStore({
    endpoint: `http://localhost:${recorder.port}`,
    region: 'us-east-1',
    bucket: 'memes',
    ...credentials,
    ...options,
  });
  cleanups.push(async () => {
    await store.close();
    await new Promise<void>((resolve) => recorder.server.close(() => resolve()));
  });
  return { store, requests: recorder.requests };
};

describe('S3ObjectStore', () => {
  it('addresses the bucket in the path on a custom endpoint, as MinIO expects by default', async () => {
    const { store, requests } = await storeAtRecorder();

    await store.ping();

    expect(requests).toMatchObject([
      {
        method: 'HEAD',
        url: expect.stringMatching(/^\/memes\/?$/),
        headers: { host: expect.stringMatching(/^localhost:/) },
      },
    ]);
  });

  it('sends uploads without the optional CRC checksums that some S3-compatible servers reject', async () => {
    const { store, requests } = await storeAtRecorder();

    await store.put('memes/a.jpg', Buffer.from('bytes'), 'image/jpeg');

    const headerNames = Object.keys(requests[0]?.headers ?? {});
    expect(requests[0]).toMatchObject({ method: 'PUT', url: expect.stringMatching(/^\/memes\/memes\/a\.jpg(\?|$)/) });
    expect(
      headerNames.filter((name) => name.startsWith('x-amz-checksum') || name === 'x-amz-sdk-checksum-algorithm'),
    ).toEqual([]);
  });

  it('stores the SHA-256 of the bytes as object metadata, with the content type', async () => {
    const { store, requests } = await storeAtRecorder();

    await store.put('a.jpg', Buffer.from('bytes'), 'image/jpeg');

    expect(requests[0]?.headers).toMatchObject({
      'content-type': 'image/jpeg',
      'x-amz-meta-sha256': '277089d91c0bdf4f2e6862ba7e4a07605119431f5d13f726dd352b06f1b206a9',
    });
  });

  it('rejects keys the local store would reject, before sending anything', async () => {
    const store = new S3ObjectStore({ ...offline, ...credentials });
    cleanups.push(() => store.close());

    await expect(store.put('../escape.jpg', Buffer.from('x'), 'image/jpeg')).rejects.toThrow(InvalidObjectKeyError);
    await expect(store.get('memes//a.jpg')).rejects.toThrow(InvalidObjectKeyError);
    await expect(store.head('/a.jpg')).rejects.toThrow(InvalidObjectKeyError);
    await expect(store.delete('a\\b')).rejects.toThrow(InvalidObjectKeyError);
  });

  it.each([
    ['only an access key id', { accessKeyId: 'id' }],
    ['only a secret access key', { secretAccessKey: 'secret' }],
  ])('refuses %s', (_, partial) => {
    expect(() => new S3ObjectStore({ ...offline, ...partial })).toThrow(/both accessKeyId and secretAccessKey/);
  });

  it('signs a put with AWS Signature Version 4 over the bytes it sends, as S3 checks it', async () => {
    const { store, requests } = await storeAtRecorder();
    const body = Buffer.from('meme bytes');

    await store.put('memes/ab/a b+c.jpg', body, 'image/jpeg');

    const request = requests[0];
    if (request === undefined) throw new Error('no request arrived');
    const bodyHash = createHash('sha256').update(body).digest('hex');
    expect(request.headers['x-amz-content-sha256']).toBe(bodyHash);
    expect(request.url).toBe('/memes/memes/ab/a%20b%2Bc.jpg');
    // The signature, computed here from the specification rather than by the SDK's signer.
    const authorization = String(request.headers.authorization);
    const [, credential, signedHeaders, signature] =
      /^AWS4-HMAC-SHA256 Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(authorization) ??
      [];
    const [accessKeyId, date, region, service] = String(credential).split('/');
    expect([accessKeyId, region, service]).toEqual(['id', 'us-east-1', 's3']);
    const names = String(signedHeaders).split(';');
    expect(names).toEqual(expect.arrayContaining(['host', 'content-type', 'x-amz-content-sha256', 'x-amz-date']));
    const canonicalRequest = [
      'PUT',
      request.url,
      '',
      ...names.map((name) => `${name}:${String(request.headers[name]).trim()}`),
      '',
      names.join(';'),
      bodyHash,
    ].join('\n');
    const amzDate = String(request.headers['x-amz-date']);
    const scope = `${date}/us-east-1/s3/aws4_request`;
    const stringToSign = [
      'AWS4-HMAC-SHA256',
      amzDate,
      scope,
      createHash('sha256').update(canonicalRequest).digest('hex'),
    ].join('\n');
    const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
    const signingKey = hmac(hmac(hmac(hmac('AWS4secret', String(date)), 'us-east-1'), 's3'), 'aws4_request');
    expect(signature).toBe(createHmac('sha256', signingKey).update(stringToSign).digest('hex'));
  });

  it('reports a refused put with its status and S3 error code', async () => {
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () =>
        response
          .writeHead(403, { 'content-type': 'application/xml' })
          .end('<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>'),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const store = new S3ObjectStore({
      endpoint: `http://localhost:${(server.address() as AddressInfo).port}`,
      region: 'us-east-1',
      bucket: 'memes',
      ...credentials,
    });
    cleanups.push(async () => {
      await store.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    await expect(store.put('a.jpg', Buffer.from('x'), 'image/jpeg')).rejects.toThrow('403 AccessDenied');
  });
});
