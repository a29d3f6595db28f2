import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestPgliteDatabase } from '@memelab/adapters/testing';
import {
  addInfrastructureChecks,
  type Infrastructure,
  infrastructureConfigSchema,
  openInfrastructure,
} from '@memelab/pipeline';
import { closeHttpServer, createLogger, createMetricsRegistry, Readiness } from '@memelab/platform';
import { TemplateCatalog } from '@memelab/render';
import { startWorkerRuntime, type WorkerRuntime } from '@memelab/worker';
import { z } from 'zod';
import { type ApiApp, buildApiApp } from '../api.app.ts';
import { apiSettingsShape } from '../api.config.ts';

export interface TestStack {
  readonly baseUrl: string;
  readonly infrastructure: Infrastructure;
  readonly api: ApiApp;
  readonly readiness: Readiness;
  readonly worker: WorkerRuntime | undefined;
  readonly dataDir: string;
  stop(): Promise<void>;
}

export interface TestStackOptions {
  /** Environment-style settings: backends (DATABASE_URL, AMQP_URL, S3_*) and API settings. */
  readonly env?: Readonly<Record<string, string>>;
  /** Run a render worker in the same process (default true). */
  readonly worker?: boolean;
  readonly workerConcurrency?: number;
}

const apiSettingsSchema = z.object(apiSettingsShape);

/**
 * The real API (and by default a real worker) on an ephemeral port with real backends:
 * PGlite, in-process queue and a local object store in a temporary directory unless the
 * env names PostgreSQL, RabbitMQ or S3.
 */
export const startTestStack = async (options: TestStackOptions = {}): Promise<TestStack> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'memelab-stack-'));
  const env = { DATA_DIR: dataDir, ...options.env };
  const infraConfig = infrastructureConfigSchema.parse(env);
  const settings = apiSettingsSchema.parse({ SWEEPER_INTERVAL_MS: '3600000', ...env });
  const logger = createLogger({
    name: 'memelab-test',
    level: (process.env.TEST_LOG_LEVEL as 'info' | undefined) ?? 'silent',
  });
  const metrics = createMetricsRegistry();
  const readiness = new Readiness();
  const catalog = await TemplateCatalog.load();
  const infrastructure = await openInfrastructure(infraConfig, logger, {
    connectionName: `memelab-test-${process.pid}`,
    migrate: true,
    // In embedded mode, start from a migrated in-memory snapshot: the same PostgreSQL, in a
    // fraction of the time a fresh data directory takes to initialise.
    ...(infraConfig.DATABASE_URL === undefined ? { database: await openTestPgliteDatabase({ migrated: true }) } : {}),
    startupTimeoutMs: 5_000,
    retryDelaysMs: [100, 300],
  });
  addInfrastructureChecks(readiness, infrastructure);
  const api = await buildApiApp({ infrastructure, catalog, settings, logger, metrics, readiness });
  const worker =
    options.worker === false
      ? undefined
      : await startWorkerRuntime({
          infrastructure,
          catalog,
          logger,
          metrics,
          concurrency: options.workerConcurrency ?? 4,
          retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200, budgetMs: 10_000 },
          renderCacheBytes: 64 * 1024 * 1024,
          dependencyCheckMs: 100,
        });
  await api.http.listen({ port: 0, host: '127.0.0.1' });
  const address = api.http.addresses()[0];
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    infrastructure,
    api,
    readiness,
    worker,
    dataDir,
    stop: async () => {
      readiness.markShuttingDown();
      await closeHttpServer(api.http, 1_000);
      await api.stopBackgroundWork();
      await worker?.drain();
      await infrastructure.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};

/** Reads a server-sent event stream until `until` says stop or the time runs out. */
export const readEvents = async (
  url: string,
  until: (events: Array<{ event: string; data: unknown }>) => boolean,
  timeoutMs = 10_000,
  onOpen?: () => Promise<void> | void,
): Promise<Array<{ event: string; data: unknown }>> => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const events: Array<{ event: string; data: unknown }> = [];
  try {
    const response = await fetch(url, { signal: controller.signal });
    if (response.body === null) throw new Error('no body');
    if (onOpen !== undefined) await onOpen();
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let boundary = buffer.indexOf('\n\n');
      while (boundary >= 0) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) });
        boundary = buffer.indexOf('\n\n');
      }
      if (until(events)) break;
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
};
