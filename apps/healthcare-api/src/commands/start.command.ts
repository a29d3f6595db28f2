import {
  closeHttpServer,
  createLogger,
  createMetricsRegistry,
  GracefulShutdown,
  HTTP_DRAIN_MS,
  Readiness,
  startTracing,
} from '@memelab/platform';
import type { Command } from 'commander';
import { databaseReachable, openClinicDatabase } from '../clinic-database.ts';
import { buildHealthcareApp } from '../healthcare.app.ts';
import { loadHealthcareConfig } from '../healthcare.config.ts';
import { METRICS_PREFIX } from '../http/healthcare.metrics.ts';

/** `healthcare-api start`: the HTTP service, until SIGTERM or SIGINT. */
export const registerStartCommand = (program: Command): void => {
  program
    .command('start')
    .description('Run the HTTP service (embedded database in DATA_DIR unless DATABASE_URL is set)')
    .action(async () => {
      const config = loadHealthcareConfig();
      // First, so the database pool and the HTTP server are created with tracing in place.
      const tracing = await startTracing({ serviceName: 'healthcare-api' });
      const logger = createLogger({ name: 'healthcare-api', tenant: 'healthcare', level: config.LOG_LEVEL });
      const metrics = createMetricsRegistry({}, { prefix: METRICS_PREFIX });
      const readiness = new Readiness();
      const shutdown = new GracefulShutdown({ logger, deadlineMs: config.SHUTDOWN_TIMEOUT_MS }).listen();
      logger.info(
        { database: config.DATABASE_URL === undefined ? 'embedded' : 'postgres', poolMax: config.DB_POOL_MAX },
        'healthcare-api starting',
      );
      const db = await openClinicDatabase(config, logger);
      readiness.add('database', databaseReachable(db));
      const app = await buildHealthcareApp({ db, logger, metrics, readiness, settings: config });
      shutdown
        .add('mark not ready', () => readiness.markShuttingDown())
        .add('stop accepting requests', () => closeHttpServer(app.http, HTTP_DRAIN_MS))
        .add('close database', () => db.close())
        .add('flush traces', () => tracing.shutdown());
      const address = await app.http.listen({ port: config.PORT, host: config.HOST });
      logger.info({ address }, 'healthcare-api listening');
    });
};
