import { checkInfrastructure, infrastructureConfigShape } from '@memelab/pipeline';
import { envInt, envLogLevel, envPort, loadConfig } from '@memelab/platform';
import { z } from 'zod';

export const workerSettingsShape = {
  /** Jobs one worker process works on at once (the AMQP prefetch). */
  WORKER_CONCURRENCY: envInt(4, { min: 1, max: 256 }),
  WORKER_MAX_ATTEMPTS: envInt(5, { min: 1, max: 50 }),
  WORKER_RETRY_BASE_MS: envInt(1_000, { min: 10, max: 600_000 }),
  WORKER_RETRY_MAX_MS: envInt(60_000, { min: 10, max: 3_600_000 }),
  RENDER_CACHE_MB: envInt(256, { min: 16, max: 16_384 }),
} as const;

export const workerConfigSchema = z
  .object({
    ...infrastructureConfigShape,
    ...workerSettingsShape,
    LOG_LEVEL: envLogLevel(),
    /** Port of /healthz, /readyz and /metrics. */
    OPS_PORT: envPort(8081),
    SHUTDOWN_TIMEOUT_MS: envInt(25_000, { min: 1_000, max: 600_000 }),
    STARTUP_TIMEOUT_MS: envInt(60_000, { min: 0, max: 3_600_000 }),
  })
  .superRefine((config, ctx) => {
    checkInfrastructure(config, ctx);
    // A worker in its own process shares state with the API only through a real database
    // and broker; PGlite and the in-process queue live inside one process.
    if (config.DATABASE_URL === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message: 'required for `memelab worker` (use `memelab start` for one process)',
      });
    }
    if (config.AMQP_URL === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['AMQP_URL'],
        message: 'required for `memelab worker` (use `memelab start` for one process)',
      });
    }
  });

export type WorkerConfig = z.output<typeof workerConfigSchema>;

export const loadWorkerConfig = (env: Readonly<Record<string, string | undefined>> = process.env): WorkerConfig =>
  loadConfig(workerConfigSchema, env);
