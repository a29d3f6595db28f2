import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Database } from '@memelab/adapters';
import { openPostgresDatabase } from '@memelab/adapters/postgres';
import { createThrowawayDatabase, type ThrowawayDatabase, withAdmin } from '@memelab/adapters/testing';
import { ApiKeyService, migrateClinic, type Role } from '@memelab/clinic';
import { closeHttpServer, createLogger, createMetricsRegistry, Readiness, type Registry } from '@memelab/platform';
import pg from 'pg';
import { databaseReachable } from '../clinic-database.ts';
import { buildHealthcareApp, type HealthcareApp, type HealthcareSettings } from '../healthcare.app.ts';
import { METRICS_PREFIX } from '../http/healthcare.metrics.ts';

/** A PostgreSQL database migrated by its owner, and a login role for the service with only the service's grants. */
export interface ClinicTestDatabase {
  readonly throwaway: ThrowawayDatabase;
  /** Connects as the service role. */
  readonly serviceUrl: string;
  readonly serviceRole: string;
  /** Runs SQL as the owner (superuser), e.g. to inspect rows or hold locks. */
  owner<T>(work: (client: pg.Client) => Promise<T>): Promise<T>;
  drop(): Promise<void>;
}

export async function createClinicTestDatabase(): Promise<ClinicTestDatabase> {
  const throwaway = await createThrowawayDatabase();
  const serviceRole = `hc_test_${randomBytes(5).toString('hex')}`;
  const ownerDb = await openPostgresDatabase({ url: throwaway.url, maxConnections: 2 });
  try {
    await migrateClinic(ownerDb, { serviceRole });
  } finally {
    await ownerDb.close();
  }
  const serviceUrl = new URL(throwaway.url);
  serviceUrl.username = serviceRole;
  serviceUrl.password = '';
  return {
    throwaway,
    serviceUrl: serviceUrl.toString(),
    serviceRole,
    owner: async (work) => {
      const client = new pg.Client({ connectionString: throwaway.url });
      await client.connect();
      try {
        return await work(client);
      } finally {
        await client.end();
      }
    },
    drop: async () => {
      await throwaway.drop();
      await withAdmin((admin) => admin.query(`DROP ROLE IF EXISTS ${serviceRole}`));
    },
  };
}

export interface HealthcareTestServer {
  readonly baseUrl: string;
  readonly app: HealthcareApp;
  readonly db: Database;
  readonly readiness: Readiness;
  readonly metrics: Registry;
  /** Every log line written so far, parsed. */
  readonly logLines: () => Record<string, unknown>[];
  /** The raw log text, for scanning. */
  readonly logText: () => string;
  keyFor(role: Role): Promise<string>;
  close(): Promise<void>;
}

const DEFAULT_SETTINGS: HealthcareSettings = {
  BODY_LIMIT_BYTES: 64 * 1024,
  TRUST_PROXY: false,
  API_KEY_CACHE_TTL_MS: 30_000,
  RETRY_AFTER_SECONDS: 1,
};

/** healthcare-api on port 0 over the service role's connection pool, logging (at debug) into memory. */
export async function startHealthcareTestServer(
  database: ClinicTestDatabase,
  options: {
    poolMax?: number;
    poolWaitMs?: number;
    statementTimeoutMs?: number;
    logLevel?: 'debug' | 'info' | 'silent';
    /** Connect here instead of the database's service URL (e.g. a port nothing listens on). */
    url?: string;
  } = {},
): Promise<HealthcareTestServer> {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger({ name: 'healthcare-api', level: options.logLevel ?? 'debug', destination });
  const db = await openPostgresDatabase({
    url: options.url ?? database.serviceUrl,
    maxConnections: options.poolMax ?? 10,
    connectionTimeoutMs: options.poolWaitMs ?? 1_000,
    statementTimeoutMs: options.statementTimeoutMs ?? 10_000,
  });
  const metrics = createMetricsRegistry({}, { prefix: METRICS_PREFIX });
  const readiness = new Readiness().add('database', databaseReachable(db));
  const app = await buildHealthcareApp({ db, logger, metrics, readiness, settings: DEFAULT_SETTINGS });
  await app.http.listen({ port: 0, host: '127.0.0.1' });
  const address = app.http.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const keys = new Map<Role, string>();
  const keyService = new ApiKeyService(db, { cacheTtlMs: 0 });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    app,
    db,
    readiness,
    metrics,
    logText: () => chunks.join(''),
    logLines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    async keyFor(role) {
      let key = keys.get(role);
      if (key === undefined) {
        key = (await keyService.create(role, `test ${role}`)).key;
        keys.set(role, key);
      }
      return key;
    },
    async close() {
      await closeHttpServer(app.http, 1_000);
      await db.close();
    },
  };
}
