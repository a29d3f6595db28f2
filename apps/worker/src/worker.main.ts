import { hostname } from 'node:os';
import { addInfrastructureChecks, describeInfrastructure, openInfrastructure } from '@memelab/pipeline';
import { createLogger, createMetricsRegistry, GracefulShutdown, Readiness, startOpsServer } from '@memelab/platform';
import { TemplateCatalog } from '@memelab/render';
import { startWorkerRuntime } from './worker.app.ts';
import { loadWorkerConfig, workerRuntimeSettings } from './worker.config.ts';

/** `memelab worker`: a render worker in its own process (distributed mode). */
export const runWorker = async (): Promise<void> => {
  const config = loadWorkerConfig();
  const logger = createLogger({ name: 'memelab-worker', level: config.LOG_LEVEL });
  const metrics = createMetricsRegistry({ role: 'worker' });
  const readiness = new Readiness();
  const shutdown = new GracefulShutdown({ logger, deadlineMs: config.SHUTDOWN_TIMEOUT_MS }).listen();
  logger.info({ ...describeInfrastructure(config) }, 'worker starting');

  const catalog = await TemplateCatalog.load(config.TEMPLATES_DIR);
  const infrastructure = await openInfrastructure(config, logger, {
    connectionName: `memelab-worker-${hostname()}-${process.pid}`,
    migrate: true,
    startupTimeoutMs: config.STARTUP_TIMEOUT_MS,
  });
  addInfrastructureChecks(readiness, infrastructure);
  const ops = await startOpsServer({ port: config.OPS_PORT, readiness, metrics });
  const runtime = await startWorkerRuntime({
    infrastructure,
    catalog,
    logger,
    metrics,
    ...workerRuntimeSettings(config),
  });
  shutdown
    .add('mark not ready', () => readiness.markShuttingDown())
    .add('drain render jobs', () => runtime.drain())
    .add('close connections', () => infrastructure.close())
    .add('close ops server', () => ops.close());
  logger.info({ opsPort: ops.port }, 'worker ready');
};
