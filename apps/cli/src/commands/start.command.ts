import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inServerBundle } from '@memelab/core';
import type { Command } from 'commander';
import { beginEmbeddedStart, closeEarlyDatabase, takeEarlyDatabase, takeEarlyWebBuild } from './early-start.ts';

/** The web UI's build output, served when present. */
const BUILT_WEB_DIR = fileURLToPath(new URL(inServerBundle() ? './web/' : '../../../web/dist/', import.meta.url));

/** The embedded configuration: infrastructure, api and worker settings in one schema. */
const loadEmbeddedSchema = async () => {
  const [{ apiSettingsShape }, { checkInfrastructure, infrastructureConfigShape }, { workerSettingsShape }, { z }] =
    await Promise.all([import('@memelab/api'), import('@memelab/pipeline'), import('@memelab/worker'), import('zod')]);
  return z
    .object({
      ...infrastructureConfigShape,
      ...apiSettingsShape,
      ...workerSettingsShape,
      // On a laptop the embedded server stays private unless HOST says otherwise.
      HOST: z.string().default('127.0.0.1'),
    })
    .superRefine(checkInfrastructure);
};

/**
 * `memelab start`: API, a render worker and the web UI in one process. With nothing
 * configured it keeps everything under DATA_DIR (PGlite, local objects, in-process queue);
 * each of DATABASE_URL, AMQP_URL and S3_* swaps in the real service. In a source checkout
 * the web page is built first when its sources changed, in parallel with the rest of the
 * start-up; the server modules are imported only here, so the other commands start without them.
 */
export const runEmbedded = async (env: Readonly<Record<string, string | undefined>> = process.env): Promise<void> => {
  // Begun already when main.ts saw `start` first on the command line.
  beginEmbeddedStart(env);
  const webBuild = takeEarlyWebBuild();
  const [{ buildApiApp }, { describeInfrastructure, startServerProcess, startupMs }, platform, worker] =
    await Promise.all([
      import('@memelab/api'),
      import('@memelab/pipeline'),
      import('@memelab/platform'),
      import('@memelab/worker'),
    ]);
  const config = await loadEmbeddedSchema()
    .then((schema) => platform.loadConfig(schema, env))
    .catch(async (error: unknown) => {
      // A configuration mistake ends the start: the data directory is given back first.
      await closeEarlyDatabase();
      throw error;
    });
  const early = await takeEarlyDatabase(config);
  const { logger, metrics, readiness, shutdown, catalog, infrastructure, tracing } = await startServerProcess(
    'embedded',
    config,
    early ?? {},
  );
  const built = await webBuild;
  if (built.error !== undefined)
    logger.warn({ err: built.error }, 'the web page could not be built; serving the API only');
  else if (built.outcome === 'built') logger.info('web page built');
  const webDir = config.WEB_DIR ?? (existsSync(BUILT_WEB_DIR) ? BUILT_WEB_DIR : undefined);
  const api = await buildApiApp({
    infrastructure,
    catalog,
    settings: { ...config, WEB_DIR: webDir },
    logger,
    metrics,
    readiness,
  });
  const renderer = await worker.startWorkerRuntime({
    infrastructure,
    catalog,
    logger,
    metrics,
    ...worker.workerRuntimeSettings(config),
  });
  await api.http.listen({ port: config.PORT, host: config.HOST });
  shutdown
    .add('mark not ready', () => readiness.markShuttingDown())
    .add('stop accepting requests', () => platform.closeHttpServer(api.http, platform.HTTP_DRAIN_MS))
    .add('stop sweeper and event feed', () => api.stopBackgroundWork())
    .add('drain render jobs', () => renderer.drain())
    .add('close connections', () => infrastructure.close())
    .add('flush traces', () => tracing.shutdown());
  const address = api.http.addresses()[0];
  const port = typeof address === 'object' && address !== null ? address.port : config.PORT;
  const shownHost = config.HOST === '0.0.0.0' || config.HOST === '127.0.0.1' ? 'localhost' : config.HOST;
  const readyMs = startupMs();
  logger.info({ port, startupMs: readyMs }, `memelab ready in ${readyMs} ms`);
  const { database, queue, objects } = describeInfrastructure(config);
  const embedded = config.DATABASE_URL === undefined && config.AMQP_URL === undefined && config.S3_BUCKET === undefined;
  process.stdout.write(
    [
      '',
      `  memelab is running at http://${shownHost}:${port}/   (ready in ${(readyMs / 1000).toFixed(1)} s)`,
      `  mode:  ${embedded ? 'embedded (PGlite database, in-process queue, images on disk)' : `embedded, with database ${database}, queue ${queue}, objects ${objects}`}`,
      `  data:  ${config.DATA_DIR}`,
      '  stop:  Ctrl+C',
      '',
      '',
    ].join('\n'),
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
    .action(async () => (await import('@memelab/api/main')).runApi());
  program
    .command('worker')
    .description('Run a render worker (distributed mode: needs DATABASE_URL and AMQP_URL).')
    .action(async () => (await import('@memelab/worker')).runWorker());
};
