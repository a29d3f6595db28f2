import { startServerProcess, startupMs } from '@memelab/pipeline';
import { startOpsServer } from '@memelab/platform';
import { applyWorkerV8Flags } from './garbage-collection.ts';
import { startWorkerRuntime } from './worker.app.ts';
import { loadWorkerConfig, workerRuntimeSettings } from './worker.config.ts';

/** `memelab worker`: a render worker in its own process (distributed mode). */
export const runWorker = async (): Promise<void> => {
  applyWorkerV8Flags();
  const config = loadWorkerConfig();
  const { logger, metrics, readiness, shutdown, catalog, infrastructure, tracing } = await startServerProcess(
    'worker',
    config,
  );
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
    .add('close ops server', () => ops.close())
    .add('flush traces', () => tracing.shutdown());
  const readyMs = startupMs();
  logger.info({ opsPort: ops.port, startupMs: readyMs }, `worker ready in ${readyMs} ms`);
};
