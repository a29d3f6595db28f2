import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

/**
 * An S3-compatible server for integration tests, on 127.0.0.1 and a free port, keeping its
 * buckets in a fresh temporary directory.
 *
 * It stands in for MinIO, which cannot be installed on the test machines. The S3 adapter
 * only makes plain S3 API calls (HeadBucket, CreateBucket, PutObject, GetObject, HeadObject,
 * DeleteObject) with SigV4 signing and path-style addressing, which MinIO and AWS S3 serve
 * in the same way, so what passes here exercises the same requests production sends.
 */
export interface S3TestServer {
  /** e.g. `http://127.0.0.1:43121`; use path-style addressing. */
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
  stop(): Promise<void>;
}

/** s3rver checks signatures against this fixed key pair. */
const S3RVER_CREDENTIAL = 'S3RVER';

export const startS3TestServer = async (): Promise<S3TestServer> => {
  const directory = await mkdtemp(path.join(tmpdir(), 'memelab-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  try {
    const { port } = await server.run();
    return {
      endpoint: `http://127.0.0.1:${port}`,
      accessKeyId: S3RVER_CREDENTIAL,
      secretAccessKey: S3RVER_CREDENTIAL,
      region: 'us-east-1',
      stop: async () => {
        await server.close();
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
};
