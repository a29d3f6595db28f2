import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '@memelab/adapters';
import { inServerBundle } from '@memelab/core';
import type { Command } from 'commander';
import { buildWebPageIfStale } from './web-build.ts';

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

/** The embedded database of a start, opening since before the server modules loaded. */
interface EarlyDatabase {
  readonly directory: string;
  readonly database: Promise<Database>;
}

let earlyDatabase: EarlyDatabase | undefined;

/**
 * Begins opening the embedded database (PGlite) of `memelab start` at once, before the CLI
 * and the server modules load: unpacking the initdb snapshot on a first start, compiling
 * PGlite's WebAssembly and starting PostgreSQL then overlap the loading of the modules,
 * which waits on the module loader and the disk much of the time. It reads DATABASE_URL and
 * DATA_DIR directly (the configuration is not loaded yet); `runEmbedded` checks them against
 * the loaded configuration and opens the configured database instead when they differ.
 */
export const beginEmbeddedStart = (env: Readonly<Record<string, string | undefined>> = process.env): void => {
  if (earlyDatabase !== undefined || (env.DATABASE_URL !== undefined && env.DATABASE_URL !== '')) return;
  const directory = join(env.DATA_DIR || '.data', 'db');
  const database = import('@memelab/adapters').then(({ openDatabase }) => openDatabase({ dataDir: directory }));
  // A failure is reported where the start awaits the database.
  database.catch(() => undefined);
  earlyDatabase = { directory, database };
};

/** The early database when it is the one `config` names; otherwise it is closed. */
const takeEarlyDatabase = async (config: {
  readonly DATABASE_URL?: string | undefined;
  readonly DATA_DIR: string;
}): Promise<{ readonly database: Promise<Database> } | undefined> => {
  const early = earlyDatabase;
  earlyDatabase = undefined;
  if (early === undefined) return undefined;
  if (config.DATABASE_URL === undefined && resolve(early.directory) === resolve(join(config.DATA_DIR, 'db')))
    return { database: early.database };
  await closeEarlyDatabase(early);
  return undefined;
};

const closeEarlyDatabase = async (early: EarlyDatabase | undefined): Promise<void> => {
  await (await early?.database.catch(() => undefined))?.close();
};

/**
 * `memelab start`: API, a render worker and the web UI in one process. With nothing
 * configured it keeps everything under DATA_DIR (PGlite, local objects, in-process queue);
 * each of DATABASE_URL, AMQP_URL and S3_* swaps in the real service. In a source checkout
 * the web page is built first when its sources changed, in parallel with the rest of the
 * start-up; the server modules are imported only here, so the other commands start without them.
 */
export const runEmbedded = async (env: Readonly<Record<string, string | undefined>> = process.env): Promise<void> => {
  const webBuild =
    env.WEB_DIR === undefined && !inServerBundle()
      ? buildWebPageIfStale().then(
          (outcome) => ({ outcome, error: undefined }),
          (error: unknown) => ({ outcome: 'failed' as const, error }),
        )
      : Promise.resolve({ outcome: 'not needed' as const, error: undefined });
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
      await closeEarlyDatabase(earlyDatabase);
      earlyDatabase = undefined;
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
    .action(async () => (await import('@memelab/api')).runApi());
  program
    .command('worker')
    .description('Run a render worker (distributed mode: needs DATABASE_URL and AMQP_URL).')
    .action(async () => (await import('@memelab/worker')).runWorker());
};
