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
  /** Opens one dependency and waits until it answers; what it opened is closed again if it never does. */
  const connect = async <T extends { close(): Promise<void> }>(
    open: () => Promise<T>,
    ready: (resource: T) => Promise<void>,
  ): Promise<T> => {
    const resource = await open();
    try {
      await ready(resource);
      return resource;
    } catch (error) {
      await resource.close().catch(() => undefined);
      throw error;
    }
  };
  // The three are independent: connecting to them together overlaps their round trips (and
  // the broker's handshake with the migrations), which is most of a process's start-up.
  const outcomes = await Promise.allSettled([
    connect(
      async () =>
        options.database ??
        openDatabase(
          {
            databaseUrl: config.DATABASE_URL,
            dataDir: config.DATABASE_URL === undefined ? join(config.DATA_DIR, 'db') : undefined,
          },
          { onError: (error: unknown) => log.error({ err: error }, 'database connection error') },
        ),
      async (db) => {
        await waitFor('the database', () => db.ping());
        if (options.migrate) {
          const applied = await runMigrations(db, { log: (message: string) => log.info(message) });
          if (applied.length > 0) log.info({ applied }, 'migrations applied');
        }
      },
    ),
    connect(
      () =>
        createQueue(
          {
            amqpUrl: config.AMQP_URL,
            prefix: config.AMQP_PREFIX,
            connectionName: options.connectionName,
            ...(options.retryDelaysMs === undefined ? {} : { retryDelaysMs: options.retryDelaysMs }),
          },
          (level: 'info' | 'warn' | 'error', message: string, extra?: Record<string, unknown>) =>
            queueLog[level]({ ...extra }, message),
        ),
      (queue) => waitFor('the message broker', () => queue.setup()),
    ),
    connect(
      () =>
        createObjectStore({
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
                  ...(config.S3_SECRET_ACCESS_KEY === undefined
                    ? {}
                    : { secretAccessKey: config.S3_SECRET_ACCESS_KEY }),
                },
              }),
        }),
      (store) => waitFor('the object store', () => store.setup()),
    ),
  ]);
  const [db, queue, store] = outcomes;
  if (db.status === 'fulfilled' && queue.status === 'fulfilled' && store.status === 'fulfilled') {
    return {
      db: db.value,
      queue: queue.value,
      store: store.value,
      close: async () => {
        await queue.value.close();
        await store.value.close();
        await db.value.close();
      },
    };
  }
  // One did not answer in time: close the others, and report the first failure.
  await Promise.all(
    outcomes.map((outcome) =>
      outcome.status === 'fulfilled' ? outcome.value.close().catch(() => undefined) : undefined,
    ),
  );
  throw outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected')?.reason;
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
