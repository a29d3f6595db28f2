import { startServerProcess, startupMs } from '@memelab/pipeline';
import { closeHttpServer, HTTP_DRAIN_MS } from '@memelab/platform';
import { loadApiConfig } from './api.config.ts';

/**
 * `memelab api`: the HTTP API in its own process (distributed mode). It never renders.
 * `memelab api` imports this module alone (`@memelab/api/main`), not the package's index:
 * the HTTP stack (fastify, its plugins, the routes) then loads while the process connects
 * to PostgreSQL, RabbitMQ and S3, whose round trips would otherwise leave it waiting.
 */
export const runApi = async (): Promise<void> => {
  const config = loadApiConfig();
  const appModule = import('./api.app.ts');
  // Reported by the await below, after the connections are made (or have failed).
  appModule.catch(() => undefined);
  const { logger, metrics, readiness, shutdown, catalog, infrastructure, tracing } = await startServerProcess(
    'api',
    config,
  );
  const { buildApiApp } = await appModule;
  const app = await buildApiApp({ infrastructure, catalog, settings: config, logger, metrics, readiness });
  await app.http.listen({ port: config.PORT, host: config.HOST });
  shutdown
    .add('mark not ready', () => readiness.markShuttingDown())
    .add('stop accepting requests', () => closeHttpServer(app.http, HTTP_DRAIN_MS))
    .add('stop sweeper and event feed', () => app.stopBackgroundWork())
    .add('close connections', () => infrastructure.close())
    .add('flush traces', () => tracing.shutdown());
  const readyMs = startupMs();
  logger.info({ url: `http://${config.HOST}:${config.PORT}`, startupMs: readyMs }, `api ready in ${readyMs} ms`);
};
