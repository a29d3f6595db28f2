import { fork } from 'node:child_process';
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
  /** The server's own process, when it runs in one (`separateProcess`). */
  readonly pid?: number;
  stop(): Promise<void>;
}

/**
 * The S3_* settings that point a memelab process at `bucket` on this server, through
 * `endpoint` where a proxy or a relay stands between them.
 */
export const s3TestServerSettings = (
  server: Pick<S3TestServer, 'endpoint' | 'accessKeyId' | 'secretAccessKey' | 'region'>,
  bucket: string,
  endpoint = server.endpoint,
) => ({
  S3_ENDPOINT: endpoint,
  S3_BUCKET: bucket,
  S3_REGION: server.region,
  S3_ACCESS_KEY_ID: server.accessKeyId,
  S3_SECRET_ACCESS_KEY: server.secretAccessKey,
  S3_FORCE_PATH_STYLE: 'true',
});

export interface S3TestServerOptions {
  /**
   * Run the server in a child process of its own instead of this one. A load generator
   * wants this: its timings must not wait behind the server's request handling on the same
   * event loop, and the server's CPU shows as a process of its own.
   */
  readonly separateProcess?: boolean;
  /** Where the temporary bucket directory goes; the system's temporary directory by default. */
  readonly parentDirectory?: string;
}

/** s3rver checks signatures against this fixed key pair. */
const S3RVER_CREDENTIAL = 'S3RVER';
const CHILD_START_TIMEOUT_MS = 15_000;

export const startS3TestServer = async (options: S3TestServerOptions = {}): Promise<S3TestServer> => {
  const directory = await mkdtemp(path.join(options.parentDirectory ?? tmpdir(), 'memelab-s3-'));
  try {
    const running = options.separateProcess === true ? await runInChild(directory) : await runS3rver(directory);
    return {
      endpoint: `http://127.0.0.1:${running.port}`,
      accessKeyId: S3RVER_CREDENTIAL,
      secretAccessKey: S3RVER_CREDENTIAL,
      region: 'us-east-1',
      ...(running.pid === undefined ? {} : { pid: running.pid }),
      stop: async () => {
        await running.stop();
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
};

interface RunningServer {
  readonly port: number;
  readonly pid?: number;
  stop(): Promise<void>;
}

/** Starts s3rver in this process; also the body of the child process (see s3-test-server.process.ts). */
export const runS3rver = async (directory: string): Promise<RunningServer> => {
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = await server.run();
  return { port, stop: () => server.close() };
};

/** Forks s3-test-server.process.ts with this process's loader flags, so it runs as TypeScript too. */
const runInChild = async (directory: string): Promise<RunningServer> => {
  const child = fork(new URL('./s3-test-server.process.ts', import.meta.url), [directory], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the S3 test server process did not start in time')),
      CHILD_START_TIMEOUT_MS,
    );
    child.once('message', (message: unknown) => {
      clearTimeout(timer);
      const reported = (message as { port?: unknown }).port;
      if (typeof reported === 'number') resolve(reported);
      else reject(new Error(`the S3 test server process sent ${JSON.stringify(message)} instead of its port`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the S3 test server process exited with code ${code} before it started`));
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    port,
    ...(child.pid === undefined ? {} : { pid: child.pid }),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
};
