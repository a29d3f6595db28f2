import { join } from 'node:path';
import {
  createObjectStore,
  createQueue,
  type Database,
  type ObjectStore,
  openDatabase,
  type Queue,
  redactUrl,
  runMigrations,
} from '@memelab/adapters';
import { type Logger, type Readiness, retryWithBackoff } from '@memelab/platform';
import type { InfrastructureConfig } from './config/infrastructure.config.ts';

export interface Infrastructure {
  readonly db: Database;
  readonly queue: Queue;
  readonly store: ObjectStore;
  close(): Promise<void>;
}

export interface InfrastructureOptions {
  /** Shown to RabbitMQ as the connection name, e.g. `memelab-worker-<host>`. */
  readonly connectionName: string;
  /** How long start-up waits for the database, broker and object store to answer. */
  readonly startupTimeoutMs: number;
  /** Delay-queue levels for retries, in ms. */
  readonly retryDelaysMs?: readonly number[];
  readonly migrate: boolean;
  /** An already open database to use instead of the configured one (tests start from a snapshot). */
  readonly database?: Database;
}

/** Describes the chosen backends without secrets, for the start-up log line. */
export const describeInfrastructure = (config: InfrastructureConfig) => ({
  database:
    config.DATABASE_URL === undefined ? `pglite:${join(config.DATA_DIR, 'db')}` : redactUrl(config.DATABASE_URL),
  queue: config.AMQP_URL === undefined ? 'in-process' : redactUrl(config.AMQP_URL),
  objects:
    config.S3_BUCKET === undefined
      ? `local:${join(config.DATA_DIR, 'objects')}`
      : `s3:${config.S3_ENDPOINT ?? 'aws'}/${config.S3_BUCKET}`,
});

/**
 * Opens the database, queue and object store the configuration names, runs migrations
 * when asked, and creates queue topology and bucket (the auto-configuration that lets a
 * fresh cluster come up in any order).
 */
export const openInfrastructure = async (
  config: InfrastructureConfig,
  logger: Logger,
  options: InfrastructureOptions,
): Promise<Infrastructure> => {
  const log = logger.child({ module: 'infrastructure' });
  const queueLog = logger.child({ module: 'queue' });
  const waitFor = <T>(what: string, work: () => Promise<T>): Promise<T> =>
    retryWithBackoff(work, {
      timeoutMs: options.startupTimeoutMs,
      onRetry: (error, attempt, delayMs) =>
        log.warn({ err: error, attempt, delayMs }, `${what} is not reachable yet; retrying`),
    });
  const db =
    options.database ??
    (await openDatabase(
      {
        databaseUrl: config.DATABASE_URL,
        dataDir: config.DATABASE_URL === undefined ? join(config.DATA_DIR, 'db') : undefined,
      },
      { onError: (error: unknown) => log.error({ err: error }, 'database connection error') },
    ));
  try {
    await waitFor('the database', () => db.ping());
    if (options.migrate) {
      const applied = await runMigrations(db, { log: (message: string) => log.info(message) });
      if (applied.length > 0) log.info({ applied }, 'migrations applied');
    }
    const queue = await createQueue(
      {
        amqpUrl: config.AMQP_URL,
        prefix: config.AMQP_PREFIX,
        connectionName: options.connectionName,
        ...(options.retryDelaysMs === undefined ? {} : { retryDelaysMs: options.retryDelaysMs }),
      },
      (level: 'info' | 'warn' | 'error', message: string, extra?: Record<string, unknown>) =>
        queueLog[level]({ ...extra }, message),
    );
    await waitFor('the message broker', () => queue.setup());
    const store = await createObjectStore({
      dataDir: config.DATA_DIR,
      ...(config.S3_BUCKET === undefined
        ? {}
        : {
            s3: {
              bucket: config.S3_BUCKET,
              region: config.S3_REGION,
              forcePathStyle: config.S3_FORCE_PATH_STYLE,
              ...(config.S3_ENDPOINT === undefined ? {} : { endpoint: config.S3_ENDPOINT }),
              ...(config.S3_ACCESS_KEY_ID === undefined ? {} : { accessKeyId: config.S3_ACCESS_KEY_ID }),
              ...(config.S3_SECRET_ACCESS_KEY === undefined ? {} : { secretAccessKey: config.S3_SECRET_ACCESS_KEY }),
            },
          }),
    });
    await waitFor('the object store', () => store.setup());
    return {
      db,
      queue,
      store,
      close: async () => {
        await queue.close();
        await store.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
};

/**
 * Ready when the database, broker and object store all answer; `optional` ones are reported
 * but do not make the process unready (the API accepts memes without the broker and the
 * object store: the row is the promise, and the job waits for them).
 */
export const addInfrastructureChecks = (
  readiness: Readiness,
  infrastructure: Infrastructure,
  optional: readonly ('broker' | 'objects')[] = [],
): Readiness =>
  readiness
    .add('database', () => infrastructure.db.ping())
    .add(
      'broker',
      () => {
        if (!infrastructure.queue.isReady()) throw new Error('not connected to the message broker');
      },
      { optional: optional.includes('broker') },
    )
    .add('objects', () => infrastructure.store.ping(), { optional: optional.includes('objects') });
