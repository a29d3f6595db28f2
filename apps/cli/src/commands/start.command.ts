import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { apiSettingsShape, buildApiApp } from '@memelab/api';
import { inServerBundle } from '@memelab/core';
import { checkInfrastructure, infrastructureConfigShape, startServerProcess } from '@memelab/pipeline';
import { closeHttpServer, HTTP_DRAIN_MS, loadConfig } from '@memelab/platform';
import { startWorkerRuntime, workerRuntimeSettings, workerSettingsShape } from '@memelab/worker';
import type { Command } from 'commander';
import { z } from 'zod';

/** The web UI's build output, served when present. */
const BUILT_WEB_DIR = fileURLToPath(new URL(inServerBundle() ? './web/' : '../../../web/dist/', import.meta.url));

export const embeddedConfigSchema = z
  .object({
    ...infrastructureConfigShape,
    ...apiSettingsShape,
    ...workerSettingsShape,
    // On a laptop the embedded server stays private unless HOST says otherwise.
    HOST: z.string().default('127.0.0.1'),
  })
  .superRefine(checkInfrastructure);

export type EmbeddedConfig = z.output<typeof embeddedConfigSchema>;

/**
 * `memelab start`: API, a render worker and the web UI in one process. With nothing
 * configured it keeps everything under DATA_DIR (PGlite, local objects, in-process queue);
 * each of DATABASE_URL, AMQP_URL and S3_* swaps in the real service.
 */
export const runEmbedded = async (env: Readonly<Record<string, string | undefined>> = process.env): Promise<void> => {
  const config = loadConfig(embeddedConfigSchema, env);
  const { logger, metrics, readiness, shutdown, catalog, infrastructure } = await startServerProcess(
    'embedded',
    config,
  );
  const webDir = config.WEB_DIR ?? (existsSync(BUILT_WEB_DIR) ? BUILT_WEB_DIR : undefined);
  const api = await buildApiApp({
    infrastructure,
    catalog,
    settings: { ...config, WEB_DIR: webDir },
    logger,
    metrics,
    readiness,
  });
  const worker = await startWorkerRuntime({
    infrastructure,
    catalog,
    logger,
    metrics,
    ...workerRuntimeSettings(config),
  });
  await api.http.listen({ port: config.PORT, host: config.HOST });
  shutdown
    .add('mark not ready', () => readiness.markShuttingDown())
    .add('stop accepting requests', () => closeHttpServer(api.http, HTTP_DRAIN_MS))
    .add('stop sweeper and event feed', () => api.stopBackgroundWork())
    .add('drain render jobs', () => worker.drain())
    .add('close connections', () => infrastructure.close());
  const address = api.http.addresses()[0];
  const port = typeof address === 'object' && address !== null ? address.port : config.PORT;
  const shownHost = config.HOST === '0.0.0.0' || config.HOST === '127.0.0.1' ? 'localhost' : config.HOST;
  logger.info({ port }, 'memelab ready');
  process.stdout.write(
    `\n  memelab is running at http://${shownHost}:${port}/\n  data: ${config.DATA_DIR}   stop: Ctrl+C\n\n`,
  );
};

export const registerStartCommands = (program: Command): void => {
  program
    .command('start')
    .description('Run API, render worker and web UI in one process (embedded mode).')
    .action(() => runEmbedded());
  program
    .command('api')
    .description('Run the HTTP API (distributed mode: needs DATABASE_URL and AMQP_URL).')
    .action(async () => (await import('@memelab/api')).runApi());
  program
    .command('worker')
    .description('Run a render worker (distributed mode: needs DATABASE_URL and AMQP_URL).')
    .action(async () => (await import('@memelab/worker')).runWorker());
};
