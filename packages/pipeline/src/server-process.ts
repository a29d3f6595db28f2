import { hostname } from 'node:os';
import type { Database } from '@memelab/adapters';
import {
  createLogger,
  createMetricsRegistry,
  GracefulShutdown,
  type Logger,
  type ProcessSettings,
  Readiness,
  type Registry,
  registerBuildInfo,
  startTracing,
  type Tracing,
} from '@memelab/platform';
// Not the package's index: that loads Skia, which the API process does not draw with.
import { TemplateCatalog } from '@memelab/render/templates';
import type { InfrastructureConfig } from './config/infrastructure.config.ts';
import {
  addInfrastructureChecks,
  describeInfrastructure,
  type Infrastructure,
  openInfrastructure,
} from './infrastructure.ts';
import { instrumentInfrastructure } from './instrumented-infrastructure.ts';

export type ServerRole = 'api' | 'worker' | 'embedded';

/** Milliseconds since this process started, for the line that says it is ready. */
export const startupMs = (): number => Math.round(performance.now());

/** What every memelab server process has once it has started: the api, a worker, or both in one. */
export interface ServerProcess {
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly readiness: Readiness;
  /** Listening for SIGTERM and SIGINT already; each role adds its own shutdown steps. */
  readonly shutdown: GracefulShutdown;
  readonly catalog: TemplateCatalog;
  readonly infrastructure: Infrastructure;
  /** OpenTelemetry tracing (off unless `OTEL_*` configures an exporter); its shutdown belongs last. */
  readonly tracing: Tracing;
}

const LOGGER_NAMES: Readonly<Record<ServerRole, string>> = {
  api: 'memelab-api',
  worker: 'memelab-worker',
  embedded: 'memelab',
};

/**
 * The start every role shares: logger, metrics, readiness and shutdown first (so a signal
 * during start-up is handled), then the template catalog and the database, broker and object
 * store, waiting for them with backoff and applying migrations.
 */
export const startServerProcess = async (
  role: ServerRole,
  config: InfrastructureConfig & ProcessSettings,
  options: {
    /** The configured database, already opening (`memelab start` begins it before loading these modules). */
    readonly database?: Promise<Database>;
  } = {},
): Promise<ServerProcess> => {
  // First, so the database pool and the HTTP server are created with tracing in place.
  const tracing = await startTracing({ serviceName: LOGGER_NAMES[role] });
  const logger = createLogger({
    name: LOGGER_NAMES[role],
    tenant: 'memelab',
    level: config.LOG_LEVEL,
    ...(config.LOG_FORMAT === undefined ? {} : { format: config.LOG_FORMAT }),
  });
  const metrics = createMetricsRegistry({ role });
  registerBuildInfo(metrics, 'memelab_', { version: config.BUILD_VERSION, revision: config.BUILD_REVISION });
  const readiness = new Readiness();
  const shutdown = new GracefulShutdown({ logger, deadlineMs: config.SHUTDOWN_TIMEOUT_MS }).listen();
  logger.info({ ...describeInfrastructure(config) }, `${role === 'embedded' ? 'memelab' : role} starting`);

  // Independent: the catalog reads template files while the database opens and migrates.
  const [catalog, opened] = await Promise.all([
    TemplateCatalog.load(config.TEMPLATES_DIR),
    (async () =>
      openInfrastructure(config, logger, {
        // Ends in the process id, so operators (and the chaos tests) can tell connections apart.
        connectionName: `memelab-${role}-${hostname()}-${process.pid}`,
        migrate: true,
        startupTimeoutMs: config.STARTUP_TIMEOUT_MS,
        ...(options.database === undefined ? {} : { database: await options.database }),
      }))(),
  ]);
  const infrastructure = instrumentInfrastructure(opened, metrics);
  // The API accepts memes while the broker or object store is down (see MemeService), so
  // only the database makes it unready; a worker needs all three to render.
  addInfrastructureChecks(readiness, infrastructure, role === 'api' ? ['broker', 'objects'] : []);
  if (tracing.enabled) logger.info('exporting traces (OpenTelemetry)');
  return { logger, metrics, readiness, shutdown, catalog, infrastructure, tracing };
};
