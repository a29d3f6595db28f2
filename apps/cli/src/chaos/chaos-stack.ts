import { ListObjectsCommand, S3Client } from '@aws-sdk/client-s3';
import { s3TestServerSettings, startS3TestServer } from '@memelab/adapters/testing';
import pg from 'pg';
import { freePort, type MemelabProcess, startMemelab } from '../testing/memelab-process.ts';
import { type FaultProxy, startFaultProxy } from './fault-proxy.ts';
import { createPrivatePostgres, type PrivatePostgres } from './private-postgres.ts';
import { createPrivateRabbitMq, type PrivateRabbitMq } from './private-rabbitmq.ts';

/**
 * Everything one chaos experiment breaks, started for it alone: a private PostgreSQL
 * cluster, a private RabbitMQ node, an S3-compatible server, and memelab's api and workers
 * as real processes. Workers reach the database and the broker through fault proxies, and
 * both roles reach the object store through one, so the network between them can be broken.
 */
export interface ChaosStack {
  readonly api: MemelabProcess;
  readonly apiUrl: string;
  readonly workers: MemelabProcess[];
  readonly postgres: PrivatePostgres;
  readonly rabbit: PrivateRabbitMq;
  readonly proxies: { readonly s3: FaultProxy; readonly workerDatabase: FaultProxy; readonly workerBroker: FaultProxy };
  startWorker(): Promise<MemelabProcess>;
  /** Stops one worker (SIGKILL or SIGTERM) and waits for it to exit. */
  stopWorker(worker: MemelabProcess, signal: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  killApi(): Promise<void>;
  startApi(): Promise<void>;
  /** Rows by status, straight from the database. */
  memeCounts(): Promise<Record<string, number>>;
  objectCount(): Promise<number>;
  destroy(): Promise<void>;
}

export interface ChaosStackOptions {
  readonly workers: number;
  /** Extra environment for every memelab process (shorter retry and sweeper timings). */
  readonly env?: Record<string, string>;
  /** Extra environment for the workers only. */
  readonly workerEnv?: Record<string, string>;
  readonly log?: (message: string) => void;
}

const BUCKET = 'memes';

export const startChaosStack = async (options: ChaosStackOptions): Promise<ChaosStack> => {
  const log = options.log ?? (() => {});
  const cleanups: Array<() => Promise<unknown>> = [];
  const destroy = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };
  try {
    log('starting a private PostgreSQL and RabbitMQ, and an S3 server');
    const [postgres, rabbit, s3] = await Promise.all([
      freePort().then(createPrivatePostgres),
      Promise.all([freePort(), freePort()]).then(([amqp, dist]) => createPrivateRabbitMq(amqp, dist)),
      startS3TestServer({ separateProcess: true }),
    ]);
    cleanups.push(
      () => postgres.destroy(),
      () => rabbit.destroy(),
      () => s3.stop(),
    );
    const rabbitPort = Number(new URL(rabbit.url).port);
    const [s3Proxy, workerDatabase, workerBroker] = await Promise.all([
      startFaultProxy(Number(new URL(s3.endpoint).port)),
      startFaultProxy(postgres.port),
      startFaultProxy(rabbitPort),
    ]);
    cleanups.push(
      () => s3Proxy.close(),
      () => workerDatabase.close(),
      () => workerBroker.close(),
    );

    const common = {
      AMQP_PREFIX: 'chaos',
      ...s3TestServerSettings(s3, BUCKET, `http://127.0.0.1:${s3Proxy.port}`),
      RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
      ...options.env,
    };
    const apiEnv = { ...common, DATABASE_URL: postgres.url, AMQP_URL: rabbit.url };
    const workerEnv = {
      ...common,
      ...options.workerEnv,
      DATABASE_URL: `postgres://postgres@127.0.0.1:${workerDatabase.port}/postgres`,
      AMQP_URL: `amqp://guest:guest@127.0.0.1:${workerBroker.port}`,
    };

    log('starting memelab api');
    let api = await startMemelab('api', apiEnv, { readyTimeoutMs: 90_000 });
    const apiPort = api.port;
    cleanups.push(async () => {
      api.child.kill('SIGKILL');
      await api.exited;
    });
    const workers: MemelabProcess[] = [];
    cleanups.push(async () => {
      for (const worker of workers) worker.child.kill('SIGKILL');
      await Promise.all(workers.map((worker) => worker.exited));
    });
    const startWorker = async () => {
      const worker = await startMemelab('worker', workerEnv, { readyTimeoutMs: 90_000 });
      workers.push(worker);
      return worker;
    };
    log(`starting ${options.workers} worker(s)`);
    await Promise.all(Array.from({ length: options.workers }, startWorker));

    const sql = new pg.Pool({ connectionString: postgres.url, max: 1 });
    sql.on('error', () => {}); // the database is restarted on purpose
    cleanups.push(() => sql.end());
    const s3Client = new S3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    cleanups.push(async () => s3Client.destroy());

    return {
      get api() {
        return api;
      },
      apiUrl: `http://127.0.0.1:${apiPort}`,
      workers,
      postgres,
      rabbit,
      proxies: { s3: s3Proxy, workerDatabase, workerBroker },
      startWorker,
      stopWorker: async (worker, signal) => {
        worker.child.kill(signal);
        await worker.exited;
        workers.splice(workers.indexOf(worker), 1);
      },
      killApi: async () => {
        api.child.kill('SIGKILL');
        await api.exited;
      },
      startApi: async () => {
        api = await startMemelab('api', apiEnv, { readyTimeoutMs: 90_000, port: apiPort });
      },
      memeCounts: async () => {
        const { rows } = await sql.query<{ status: string; count: string }>(
          'SELECT status, count(*) AS count FROM memes GROUP BY status',
        );
        return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
      },
      objectCount: async () => {
        // ListObjects (v1) pages by marker: s3rver's v2 continuation tokens use DES, which
        // OpenSSL 3 refuses, so a bucket of more than 1,000 objects could not be listed.
        let count = 0;
        let marker: string | undefined;
        for (;;) {
          const page = await s3Client.send(
            new ListObjectsCommand({ Bucket: BUCKET, Prefix: 'memes/', Marker: marker }),
          );
          const keys = page.Contents ?? [];
          count += keys.length;
          marker = keys.at(-1)?.Key;
          if (page.IsTruncated !== true || marker === undefined) return count;
        }
      },
      destroy,
    };
  } catch (error) {
    await destroy();
    throw error;
  }
};
