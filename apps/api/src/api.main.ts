import { hostname } from 'node:os';
import { addInfrastructureChecks, describeInfrastructure, openInfrastructure } from '@memelab/pipeline';
import { createLogger, createMetricsRegistry, GracefulShutdown, Readiness } from '@memelab/platform';
import { TemplateCatalog } from '@memelab/render';
import { buildApiApp } from './api.app.ts';
import { loadApiConfig } from './api.config.ts';
import { closeHttpServer, HTTP_DRAIN_MS } from './http/close-http-server.ts';

/** `memelab api`: the HTTP API in its own process (distributed mode). It never renders. */
export const runApi = async (): Promise<void> => {
  const config = loadApiConfig();
  const logger = createLogger({ name: 'memelab-api', level: config.LOG_LEVEL });
  const metrics = createMetricsRegistry({ role: 'api' });
  const readiness = new Readiness();
  const shutdown = new GracefulShutdown({ logger, deadlineMs: config.SHUTDOWN_TIMEOUT_MS }).listen();
  logger.info({ ...describeInfrastructure(config) }, 'api starting');

  const catalog = await TemplateCatalog.load(config.TEMPLATES_DIR);
  const infrastructure = await openInfrastructure(config, logger, {
    connectionName: `memelab-api-${hostname()}-${process.pid}`,
    migrate: true,
    startupTimeoutMs: config.STARTUP_TIMEOUT_MS,
  });
  addInfrastructureChecks(readiness, infrastructure);
  const app = await buildApiApp({ infrastructure, catalog, settings: config, logger, metrics, readiness });
  await app.http.listen({ port: config.PORT, host: config.HOST });
  shutdown
    .add('mark not ready', () => readiness.markShuttingDown())
    .add('stop accepting requests', () => closeHttpServer(app.http, HTTP_DRAIN_MS))
    .add('stop sweeper and event feed', () => app.stopBackgroundWork())
    .add('close connections', () => infrastructure.close());
  logger.info({ url: `http://${config.HOST}:${config.PORT}` }, 'api ready');
};
