import type { Consumer } from '@memelab/adapters';
import {
  BackgroundRepository,
  type Infrastructure,
  MemeBaseResolver,
  MemeRepository,
  TemplateRepository,
  TemplateService,
} from '@memelab/pipeline';
import type { Logger, Registry } from '@memelab/platform';
import { JPEG_ENCODER, MemeRenderer, type TemplateCatalog } from '@memelab/render';
import { DependencyGate } from './dependency-gate.ts';
import { renderJobHandler } from './render/render.job.ts';
import { RenderService, type RetryPolicy } from './render/render.service.ts';
import { createWorkerMetrics } from './worker.metrics.ts';

export interface WorkerRuntimeOptions {
  readonly infrastructure: Infrastructure;
  readonly catalog: TemplateCatalog;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly concurrency: number;
  readonly retry: RetryPolicy;
  readonly renderCacheBytes: number;
  /** How often the database and object store are checked while one of them is down; jobs wait meanwhile. */
  readonly dependencyCheckMs: number;
}

export interface WorkerRuntime {
  /** Stops taking jobs and waits for those in flight to finish. */
  drain(): Promise<void>;
}

/** Wires the render worker by hand: repositories, resolver, renderer, service, consumer. */
export const startWorkerRuntime = async (options: WorkerRuntimeOptions): Promise<WorkerRuntime> => {
  const { infrastructure, logger } = options;
  const { db, queue, store } = infrastructure;
  const memes = new MemeRepository(db);
  const templates = new TemplateService(options.catalog, new TemplateRepository(db), store);
  const resolver = new MemeBaseResolver(templates, new BackgroundRepository(db), store);
  const metrics = createWorkerMetrics(options.metrics);
  let gate: DependencyGate | undefined;
  const service = new RenderService({
    memes,
    resolver,
    renderer: new MemeRenderer({ cacheBytes: options.renderCacheBytes }),
    store,
    queue,
    metrics,
    retry: options.retry,
    logger: logger.child({ module: 'render' }),
    onTransientFailure: () => void gate?.check(),
  });
  const handle = renderJobHandler(service);
  const consumer: Consumer = await queue.consumeJobs(
    async (received) => {
      metrics.inFlight.inc();
      try {
        return await handle(received);
      } finally {
        metrics.inFlight.dec();
      }
    },
    { prefetch: options.concurrency },
  );
  metrics.consuming.set(1);
  gate = new DependencyGate({
    checks: [
      { name: 'database', check: () => db.ping() },
      { name: 'objects', check: () => store.ping() },
    ],
    consumer,
    intervalMs: options.dependencyCheckMs,
    logger: logger.child({ module: 'dependencies' }),
    onChange: (consuming) => metrics.consuming.set(consuming ? 1 : 0),
  });
  logger.info({ concurrency: options.concurrency, jpegEncoder: JPEG_ENCODER }, 'worker consuming render jobs');
  return {
    drain: async () => {
      await gate?.stop();
      await consumer.stop();
    },
  };
};
