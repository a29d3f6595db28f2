import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  createThrowawayDatabase,
  type S3TestServer,
  type S3TestServerOptions,
  s3TestServerSettings,
  startS3TestServer,
  TcpProxy,
} from '@memelab/adapters/testing';
import amqp from 'amqplib';

export * from './memelab-process.ts';

const run = promisify(execFile);

export const AMQP_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const RETRY_DELAYS_MS = [1000, 5000, 30000];

export interface DistributedBackends {
  readonly env: Record<string, string>;
  readonly prefix: string;
  /**
   * With `proxyS3`: the relay the stack reaches the S3 server through. `stop()` is an object
   * store outage (connections refused), `start()` ends it on the same port.
   */
  readonly s3Proxy?: TcpProxy;
  /** The S3 server's process, when it runs in one of its own (`separateProcess`). */
  readonly s3Pid?: number;
  cleanup(): Promise<void>;
}

export interface DistributedBackendsOptions extends S3TestServerOptions {
  /** Put a TCP relay between the stack and the S3 server, so a test can take the store down. */
  readonly proxyS3?: boolean;
  /** Starts the object store the stack uses; s3rver (`startS3TestServer`) by default. */
  readonly startObjectStore?: (options: S3TestServerOptions) => Promise<S3TestServer>;
}

/**
 * A throwaway PostgreSQL database, a unique queue prefix on the machine's RabbitMQ, and an
 * S3-compatible server (s3rver, standing in for MinIO, which cannot be installed on the
 * test machines) for one test file.
 */
export const startDistributedBackends = async ({
  proxyS3 = false,
  startObjectStore = startS3TestServer,
  ...s3Options
}: DistributedBackendsOptions = {}): Promise<DistributedBackends> => {
  const database = await createThrowawayDatabase();
  const s3 = await startObjectStore(s3Options).catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
  const s3Proxy = proxyS3 ? new TcpProxy('127.0.0.1', Number(new URL(s3.endpoint).port)) : undefined;
  await s3Proxy?.start();
  const prefix = `memelab-test-${Math.random().toString(36).slice(2, 10)}`;
  return {
    prefix,
    ...(s3Proxy === undefined ? {} : { s3Proxy }),
    ...(s3.pid === undefined ? {} : { s3Pid: s3.pid }),
    env: {
      DATABASE_URL: database.url,
      AMQP_URL,
      AMQP_PREFIX: prefix,
      ...s3TestServerSettings(s3, 'memes', s3Proxy === undefined ? s3.endpoint : `http://127.0.0.1:${s3Proxy.port}`),
    },
    cleanup: async () => {
      await s3Proxy?.stop();
      await deleteTopology(prefix);
      await s3.stop();
      await database.drop();
    },
  };
};

/** Removes the queues and exchanges a test's prefix created. */
const deleteTopology = async (prefix: string): Promise<void> => {
  const connection = await amqp.connect(AMQP_URL);
  try {
    const channel = await connection.createChannel();
    const queues = [
      `${prefix}.render`,
      `${prefix}.render.dead`,
      ...RETRY_DELAYS_MS.map((ms) => `${prefix}.render.delay.${ms}`),
    ];
    for (const queue of queues) await channel.deleteQueue(queue);
    for (const exchange of [`${prefix}.jobs`, `${prefix}.dlx`, `${prefix}.events`])
      await channel.deleteExchange(exchange);
    await channel.close();
  } finally {
    await connection.close();
  }
};

/** Jobs waiting in a prefix's render queue (not counting those in flight or delayed). */
export const renderQueueDepth = async (prefix: string): Promise<number> => {
  const connection = await amqp.connect(AMQP_URL);
  try {
    const channel = await connection.createChannel();
    return (await channel.checkQueue(`${prefix}.render`)).messageCount;
  } finally {
    await connection.close();
  }
};

/** Closes, from the broker's side, every connection of the given OS process. */
export const closeBrokerConnectionsOf = async (pid: number): Promise<number> => {
  const { stdout } = await run('rabbitmqctl', [
    'list_connections',
    '--quiet',
    '--no-table-headers',
    'pid',
    'client_properties',
  ]);
  // Connection names end in the OS process id: memelab-<role>-<host>-<pid>.
  const ours = stdout
    .split('\n')
    .filter((line) => new RegExp(`"connection_name","memelab-[\\w.-]*-${pid}"`).test(line))
    .map((line) => line.split('\t')[0] ?? '')
    .filter((connectionPid) => connectionPid !== '');
  for (const connectionPid of ours)
    await run('rabbitmqctl', ['close_connection', connectionPid, 'chaos test: connection dropped']);
  return ours.length;
};

export interface MemeClient {
  create(captions: string[], template?: string): Promise<{ id: string; status: number }>;
  status(id: string): Promise<string>;
  attempts(id: string): Promise<number>;
  waitAllDone(ids: readonly string[], timeoutMs: number): Promise<{ done: number; pending: string[] }>;
}

export const memeClient = (baseUrl: string): MemeClient => ({
  async create(captions, template = 'rack-of-doom') {
    const response = await fetch(`${baseUrl}/api/memes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ template, captions }),
    });
    const body = (await response.json()) as { id: string };
    return { id: body.id, status: response.status };
  },
  async status(id) {
    return ((await (await fetch(`${baseUrl}/api/memes/${id}`)).json()) as { status: string }).status;
  },
  async attempts(id) {
    return ((await (await fetch(`${baseUrl}/api/memes/${id}`)).json()) as { attempts: number }).attempts;
  },
  async waitAllDone(ids, timeoutMs) {
    const started = Date.now();
    let pending = [...ids];
    // Checks at least once, so a zero timeout is a snapshot of what is done now.
    for (;;) {
      const statuses = await Promise.all(pending.map(async (id) => [id, await this.status(id)] as const));
      pending = statuses.filter(([, status]) => status !== 'done').map(([id]) => id);
      if (pending.length === 0 || Date.now() - started >= timeoutMs) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return { done: ids.length - pending.length, pending };
  },
});
