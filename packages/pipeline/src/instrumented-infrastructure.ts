import type { Database, ObjectStore, SqlExecutor } from '@memelab/adapters';
import { Histogram, type Registry, SpanKind, withSpan } from '@memelab/platform';
import type { Infrastructure } from './infrastructure.ts';

/**
 * Buckets for calls to the database and the object store: on a LAN they take 0.3-5 ms
 * (PostgreSQL) and 2-20 ms (S3 puts of a meme), so most of the resolution sits there,
 * with a tail up to the 5 s an overloaded or recovering backend may take.
 */
const CALL_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

type Outcome = 'ok' | 'miss' | 'error';

const timed = async <T>(
  histogram: Histogram<'operation' | 'outcome'>,
  operation: string,
  work: () => Promise<T>,
  outcomeOf: (result: T) => Outcome = () => 'ok',
): Promise<T> => {
  const end = histogram.startTimer({ operation });
  try {
    const result = await work();
    end({ outcome: outcomeOf(result) });
    return result;
  } catch (error) {
    end({ outcome: 'error' });
    throw error;
  }
};

const found = <T>(result: T | undefined): Outcome => (result === undefined ? 'miss' : 'ok');

/** The object store with every put, get, head and delete timed by operation and outcome. */
export const instrumentObjectStore = (store: ObjectStore, registry: Registry): ObjectStore => {
  const histogram = new Histogram({
    name: 'memelab_object_store_operation_duration_seconds',
    help: 'Object store calls by operation (put, get, head, delete) and outcome (ok, miss, error); get is timed to the first byte.',
    labelNames: ['operation', 'outcome'],
    buckets: CALL_BUCKETS,
    registers: [registry],
  });
  // Each call is a span too (a no-op while tracing is off), whichever client the adapter uses.
  const traced = <T>(operation: string, key: string, work: () => Promise<T>): Promise<T> =>
    withSpan(
      `object store ${operation}`,
      { kind: SpanKind.CLIENT, attributes: { 'memelab.store.kind': store.kind, 'memelab.object.key': key } },
      work,
    );
  return {
    kind: store.kind,
    setup: () => store.setup(),
    put: (key, body, contentType) =>
      traced('put', key, () => timed(histogram, 'put', () => store.put(key, body, contentType))),
    get: (key, range) => traced('get', key, () => timed(histogram, 'get', () => store.get(key, range), found)),
    head: (key) => traced('head', key, () => timed(histogram, 'head', () => store.head(key), found)),
    delete: (key) => traced('delete', key, () => timed(histogram, 'delete', () => store.delete(key))),
    ping: () => store.ping(),
    close: () => store.close(),
  };
};

/**
 * The database with every statement and transaction timed by outcome. Statements are not
 * labelled by their SQL: the operation is `query` or `transaction`, so the series stay few.
 */
export const instrumentDatabase = (db: Database, registry: Registry): Database => {
  const histogram = new Histogram({
    name: 'memelab_db_query_duration_seconds',
    help: 'Database calls by operation (query: one statement; transaction: all of it) and outcome (ok, error).',
    labelNames: ['operation', 'outcome'],
    buckets: CALL_BUCKETS,
    registers: [registry],
  });
  return {
    kind: db.kind,
    query: (sql, params) => timed(histogram, 'query', () => db.query(sql, params)),
    transaction: <T>(work: (tx: SqlExecutor) => Promise<T>) =>
      timed(histogram, 'transaction', () => db.transaction(work)),
    ping: () => db.ping(),
    close: () => db.close(),
  };
};

/** The same infrastructure, with database and object store calls measured into `registry`. */
export const instrumentInfrastructure = (infrastructure: Infrastructure, registry: Registry): Infrastructure => ({
  db: instrumentDatabase(infrastructure.db, registry),
  store: instrumentObjectStore(infrastructure.store, registry),
  queue: infrastructure.queue,
  close: () => infrastructure.close(),
});
