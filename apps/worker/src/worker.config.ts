import { checkInfrastructure, infrastructureConfigShape, requireSharedBackends } from '@memelab/pipeline';
import { envInt, envPort, loadConfig, processSettingsShape } from '@memelab/platform';
import { z } from 'zod';

export const workerSettingsShape = {
  /**
   * Jobs one worker process holds at once (the AMQP prefetch). It renders one at a time;
   * the others wait on I/O (their status, upload, acknowledgement), and jobs that reach a
   * step together share one statement and one write, so more of them cost less each
   * (docs/benchmarks.md, "Fewer, busier workers").
   */
  WORKER_CONCURRENCY: envInt(16, { min: 1, max: 256 }),
  /** Most render attempts of one meme, the first included; a cap under the time budget. */
  WORKER_MAX_ATTEMPTS: envInt(20, { min: 1, max: 100 }),
  /** Transient failures are retried until this long after a job's first attempt (15 minutes). */
  WORKER_RETRY_BUDGET_MS: envInt(900_000, { min: 100, max: 86_400_000 }),
  WORKER_RETRY_BASE_MS: envInt(1_000, { min: 10, max: 600_000 }),
  WORKER_RETRY_MAX_MS: envInt(30_000, { min: 10, max: 3_600_000 }),
  /** How often a worker that paused for its database or object store checks whether they answer again. */
  WORKER_DEPENDENCY_CHECK_MS: envInt(2_000, { min: 50, max: 60_000 }),
  RENDER_CACHE_MB: envInt(256, { min: 16, max: 16_384 }),
} as const;

export const workerConfigSchema = z
  .object({
    ...infrastructureConfigShape,
    ...workerSettingsShape,
    ...processSettingsShape,
    /** Port of /healthz, /readyz and /metrics. */
    OPS_PORT: envPort(8081),
  })
  .superRefine((config, ctx) => {
    checkInfrastructure(config, ctx);
    requireSharedBackends('worker', config, ctx);
  });

export type WorkerConfig = z.output<typeof workerConfigSchema>;

export type WorkerSettings = z.output<z.ZodObject<typeof workerSettingsShape>>;

/** The render worker's runtime options from its settings, for every role that runs one. */
export const workerRuntimeSettings = (settings: WorkerSettings) => ({
  concurrency: settings.WORKER_CONCURRENCY,
  dependencyCheckMs: settings.WORKER_DEPENDENCY_CHECK_MS,
  retry: {
    maxAttempts: settings.WORKER_MAX_ATTEMPTS,
    budgetMs: settings.WORKER_RETRY_BUDGET_MS,
    baseDelayMs: settings.WORKER_RETRY_BASE_MS,
    maxDelayMs: settings.WORKER_RETRY_MAX_MS,
  },
  renderCacheBytes: settings.RENDER_CACHE_MB * 1024 * 1024,
});

export const loadWorkerConfig = (env: Readonly<Record<string, string | undefined>> = process.env): WorkerConfig =>
  loadConfig(workerConfigSchema, env);
