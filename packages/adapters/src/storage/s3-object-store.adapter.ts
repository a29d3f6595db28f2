import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  type CreateBucketCommandInput,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { isSha256Hex, quoteEtag, sha256Hex } from './content-hash.ts';
import { parseObjectKey } from './object-key.ts';
import type { ByteRange, ObjectInfo, ObjectStore, StoredObject } from './object-store.port.ts';

export interface S3ObjectStoreOptions {
  /** Base URL of an S3-compatible server, e.g. `http://minio:9000`; omit for AWS S3. */
  readonly endpoint?: string;
  readonly region: string;
  readonly bucket: string;
  /** Both or neither; with neither, the SDK's default chain applies (environment, IRSA, instance roles). */
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  /** Defaults to true when `endpoint` is set: MinIO serves virtual-hosted buckets only with MINIO_DOMAIN configured. */
  readonly forcePathStyle?: boolean;
  /** Longest wait from sending a request (upload included) to the response headers. */
  readonly requestTimeoutMs?: number;
  /**
   * Uploads without the SDK's middleware stack where it can (path-style endpoint, static
   * credentials); default true. False always uses the SDK's PutObject.
   */
  readonly directPut?: boolean;
}

/**
 * The SDK prints a multi-line NodeVersionSupportWarning on stderr at start on every Node.js
 * before 22, about SDK releases after January 2027; the release installed here supports the
 * Node.js versions memelab supports. The SDK's documented switch turns the notice off,
 * unless the operator set it either way.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** The SDK's standard retry strategy: 3 attempts with jittered backoff, for throttling and transient 5xx. */
const MAX_ATTEMPTS = 3;
/** A reachable S3 endpoint accepts a TCP connection in milliseconds; a dead one should fail readiness quickly. */
const CONNECTION_TIMEOUT_MS = 3_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Readiness must answer before the probe gives up, whatever the retries add up to. */
const PING_TIMEOUT_MS = 5_000;
/** Carries the SHA-256 of the bytes, from which the etag is derived (see content-hash.ts). */
const SHA256_METADATA = 'sha256';
const FALLBACK_CONTENT_TYPE = 'application/octet-stream';

/**
 * Objects in an S3 bucket: MinIO in a homelab, or AWS S3. Only plain S3 API calls are used
 * (HeadBucket, CreateBucket, PutObject, GetObject, HeadObject, DeleteObject), so the same
 * code serves both. The body returned by `get` holds a pooled connection until it is read
 * to the end or destroyed.
 */
export class S3ObjectStore implements ObjectStore {
  readonly kind = 's3';
  readonly bucket: string;
  private readonly region: string;
  private readonly client: S3Client;
  private readonly directPut: DirectPut | undefined;

  constructor(options: S3ObjectStoreOptions) {
    this.bucket = options.bucket;
    this.region = options.region;
    this.client = new S3Client(clientConfig(options));
    this.directPut = options.directPut === false ? undefined : DirectPut.for(options);
  }

  async setup(): Promise<void> {
    if (await this.bucketExists()) return;
    try {
      await this.client.send(new CreateBucketCommand(createBucketInput(this.bucket, this.region)));
    } catch (error) {
      // Another replica may have created it between our HeadBucket and CreateBucket.
      if (hasName(error, 'BucketAlreadyOwnedByYou')) return;
      if (hasName(error, 'BucketAlreadyExists') && (await this.bucketExists())) return;
      throw new Error(`Cannot create S3 bucket "${this.bucket}"`, { cause: error });
    }
  }

  async put(key: string, body: Uint8Array, contentType: string): Promise<ObjectInfo> {
    parseObjectKey(key);
    const sha256 = sha256Hex(body);
    if (this.directPut !== undefined) {
      await this.directPut.put(key, body, contentType, sha256);
      return { key, size: body.byteLength, contentType, etag: quoteEtag(sha256) };
    }
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentLength: body.byteLength,
        ContentType: contentType,
        Metadata: { [SHA256_METADATA]: sha256 },
      }),
    );
    return { key, size: body.byteLength, contentType, etag: quoteEtag(sha256) };
  }

  async get(key: string, range?: ByteRange): Promise<StoredObject | undefined> {
    parseObjectKey(key);
    try {
      const output = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(range === undefined ? {} : { Range: `bytes=${range.start}-${range.end}` }),
        }),
      );
      return { ...infoOf(key, output), body: asReadable(output.Body, key) };
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw error;
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    parseObjectKey(key);
    try {
      return infoOf(key, await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key })));
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    parseObjectKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async ping(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }), {
        abortSignal: AbortSignal.timeout(PING_TIMEOUT_MS),
      });
    } catch (error) {
      throw new Error(`S3 bucket "${this.bucket}" is not reachable`, { cause: error });
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
    this.directPut?.close();
  }

  private async bucketExists(): Promise<boolean> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw new Error(`Cannot check S3 bucket "${this.bucket}"`, { cause: error });
    }
  }
}

const clientConfig = (options: S3ObjectStoreOptions): S3ClientConfig => ({
  region: options.region,
  endpoint: options.endpoint,
  forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
  credentials: staticCredentials(options),
  maxAttempts: MAX_ATTEMPTS,
  requestHandler: {
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    throwOnRequestTimeout: true,
  },
  // Newer SDKs add CRC checksums to every upload and ask for them on download; several
  // S3-compatible servers (older MinIO releases among them) reject or mishandle those, and
  // AWS S3 needs them only where an operation requires them.
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});

const staticCredentials = (options: S3ObjectStoreOptions): S3ClientConfig['credentials'] => {
  const { accessKeyId, secretAccessKey } = options;
  if (accessKeyId === undefined && secretAccessKey === undefined) return undefined;
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    throw new Error('S3 credentials need both accessKeyId and secretAccessKey, or neither');
  }
  return { accessKeyId, secretAccessKey };
};

/**
 * AWS rejects an explicit us-east-1 location constraint and requires one for every other
 * region. The SDK's list of constraints lags new AWS regions and knows nothing of the region
 * names a MinIO server may be configured with, hence the cast.
 */
const createBucketInput = (bucket: string, region: string): CreateBucketCommandInput =>
  region === 'us-east-1'
    ? { Bucket: bucket }
    : { Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } };

interface ObjectHeaders {
  readonly ContentLength?: number | undefined;
  /** Present on a ranged GET: `bytes <start>-<end>/<whole size>`. */
  readonly ContentRange?: string | undefined;
  readonly ContentType?: string | undefined;
  readonly ETag?: string | undefined;
  readonly Metadata?: Record<string, string> | undefined;
}

const infoOf = (key: string, headers: ObjectHeaders): ObjectInfo => ({
  key,
  size: sizeOf(key, headers),
  contentType: headers.ContentType ?? FALLBACK_CONTENT_TYPE,
  etag: etagOf(key, headers),
});

/** The size becomes a Content-Length downstream, so a guess would corrupt the response. */
const sizeOf = (key: string, headers: ObjectHeaders): number => {
  if (headers.ContentRange !== undefined) {
    const whole = /\/(\d+)$/.exec(headers.ContentRange)?.[1];
    if (whole !== undefined) return Number(whole);
    throw new Error(`S3 returned an unreadable Content-Range for "${key}": ${headers.ContentRange}`);
  }
  if (headers.ContentLength !== undefined) return headers.ContentLength;
  throw new Error(`S3 returned no Content-Length for "${key}"`);
};

/** Objects written by other tools carry no hash; their S3 ETag is still a strong validator. */
const etagOf = (key: string, headers: ObjectHeaders): string => {
  const sha256 = headers.Metadata?.[SHA256_METADATA];
  if (sha256 !== undefined && isSha256Hex(sha256)) return quoteEtag(sha256);
  if (headers.ETag !== undefined) return headers.ETag;
  throw new Error(`S3 returned no ETag for "${key}"`);
};

const asReadable = (body: unknown, key: string): Readable => {
  if (body instanceof Readable) return body;
  throw new Error(`S3 returned a body for "${key}" that is not a Node.js stream`);
};

/** A missing bucket is a misconfiguration and must not read as a missing object. */
const isMissingObject = (error: unknown): boolean => statusOf(error) === 404 && !hasName(error, 'NoSuchBucket');

const hasName = (error: unknown, name: string): boolean => error instanceof S3ServiceException && error.name === name;

const statusOf = (error: unknown): number | undefined =>
  error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;

/**
 * PUT without the SDK's middleware stack, for the one request on the render path: every
 * rendered meme is one PutObject, and the SDK's stack (serialisers, endpoint rules, retry
 * and checksum middleware, a second SHA-256 of the body for the signature) cost the worker
 * about as much CPU as drawing the meme. This sends the same request: SigV4-signed by the
 * SDK's own signer (@smithy/signature-v4), with the body's SHA-256, which the adapter
 * computes anyway for the etag, as the signed payload hash, over keep-alive connections.
 * Used for path-style endpoints with static credentials (MinIO, S3-compatible servers);
 * other setups (AWS's credential chain, virtual-hosted buckets) keep the SDK's PutObject.
 */
class DirectPut {
  private readonly agent: HttpAgent;
  private readonly send: typeof httpRequest;

  private constructor(
    private readonly base: URL,
    private readonly bucket: string,
    private readonly signer: SignatureV4,
    private readonly timeoutMs: number,
  ) {
    const secure = base.protocol === 'https:';
    this.agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    this.send = secure ? httpsRequest : httpRequest;
  }

  static for(options: S3ObjectStoreOptions): DirectPut | undefined {
    const pathStyle = options.forcePathStyle ?? options.endpoint !== undefined;
    const { endpoint, accessKeyId, secretAccessKey } = options;
    if (endpoint === undefined || !pathStyle || accessKeyId === undefined || secretAccessKey === undefined) {
      return undefined;
    }
    const signer = new SignatureV4({
      service: 's3',
      region: options.region,
      credentials: { accessKeyId, secretAccessKey },
      sha256: NodeSha256,
      // S3 signs the path as sent, without escaping it a second time.
      uriEscapePath: false,
    });
    return new DirectPut(
      new URL(endpoint),
      options.bucket,
      signer,
      options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    );
  }

  async put(key: string, body: Uint8Array, contentType: string, sha256: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.putOnce(key, body, contentType, sha256);
        return;
      } catch (error) {
        // The SDK's standard retry: throttling, 5xx and connection failures, jittered backoff.
        if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 100 * 2 ** attempt));
      }
    }
  }

  close(): void {
    this.agent.destroy();
  }

  private async putOnce(key: string, body: Uint8Array, contentType: string, sha256: string): Promise<void> {
    const basePath = this.base.pathname.replace(/\/$/, '');
    const path = `${basePath}/${encodeURIComponent(this.bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
    const signed = await this.signer.sign({
      method: 'PUT',
      protocol: this.base.protocol,
      hostname: this.base.hostname,
      ...(this.base.port === '' ? {} : { port: Number(this.base.port) }),
      path,
      query: {},
      headers: {
        host: this.base.host,
        'content-type': contentType,
        'content-length': String(body.byteLength),
        'x-amz-content-sha256': sha256,
        [`x-amz-meta-${SHA256_METADATA}`]: sha256,
      },
      body,
    });
    await new Promise<void>((resolve, reject) => {
      const request = this.send(
        {
          protocol: this.base.protocol,
          hostname: this.base.hostname,
          port: this.base.port,
          method: 'PUT',
          path,
          headers: signed.headers,
          agent: this.agent,
          signal: AbortSignal.timeout(this.timeoutMs),
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve();
            else reject(new DirectPutError(status, Buffer.concat(chunks).toString('utf8')));
          });
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }
}

class DirectPutError extends Error {
  override readonly name = 'S3PutError';

  constructor(
    readonly status: number,
    responseBody: string,
  ) {
    const code = /<Code>([^<]*)<\/Code>/.exec(responseBody)?.[1] ?? 'UnknownError';
    super(`S3 PutObject failed with ${status} ${code}`);
  }
}

const isRetryable = (error: unknown): boolean =>
  error instanceof DirectPutError ? error.status >= 500 || error.status === 429 : error instanceof Error;

/** The hash the signer asks for (SHA-256, or HMAC-SHA-256 given a key), from node:crypto. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;

  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash =
      secret === undefined
        ? createHash('sha256')
        : createHmac('sha256', typeof secret === 'string' ? secret : toBuffer(secret));
  }

  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(typeof data === 'string' ? data : toBuffer(data));
  }

  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
}

const toBuffer = (data: ArrayBuffer | ArrayBufferView): Buffer =>
  ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
