import { ObjectCache } from '@memelab/adapters';
import {
  BackgroundRepository,
  type Infrastructure,
  MemeRepository,
  TemplateRepository,
  TemplateService,
} from '@memelab/pipeline';
import { type Logger, type Readiness, type Registry, registerHealthRoutes } from '@memelab/platform';
import type { TemplateCatalog } from '@memelab/render';
import type { FastifyInstance } from 'fastify';
import type { ApiSettings } from './api.config.ts';
import { registerBackgroundRoutes } from './backgrounds/background.routes.ts';
import { BackgroundService } from './backgrounds/background.service.ts';
import { MemeEventHub } from './events/meme-event-hub.ts';
import { cacheObserver, createApiMetrics } from './http/api.metrics.ts';
import { createHttpServer } from './http/http-server.ts';
import { BacklogAdmission } from './memes/backlog-admission.ts';
import { DoneMemeCache } from './memes/done-meme.cache.ts';
import { registerMemeRoutes } from './memes/meme.routes.ts';
import { MemeService } from './memes/meme.service.ts';
import { registerMemegenRoutes } from './memes/memegen.routes.ts';
import { registerOpenApiRoutes } from './openapi/openapi.routes.ts';
import { QueuedMemeSweeper } from './sweeper/queued-meme.sweeper.ts';
import { CustomTemplateService } from './templates/custom-template.service.ts';
import { registerTemplateRoutes } from './templates/template.routes.ts';
import { registerWebRoutes } from './web/web.routes.ts';

export interface ApiAppOptions {
  readonly infrastructure: Infrastructure;
  readonly catalog: TemplateCatalog;
  readonly settings: ApiSettings;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly readiness: Readiness;
}

export interface ApiApp {
  readonly http: FastifyInstance;
  readonly sweeper: QueuedMemeSweeper;
  readonly hub: MemeEventHub;
  /** Stops the sweeper and the event subscription (the HTTP server is closed by its owner). */
  stopBackgroundWork(): Promise<void>;
}

/** The API's composition root: wires repositories, services and routes by hand. */
export const buildApiApp = async (options: ApiAppOptions): Promise<ApiApp> => {
  const { infrastructure, settings, logger } = options;
  const { db, queue, store } = infrastructure;
  const memes = new MemeRepository(db);
  const backgrounds = new BackgroundRepository(db);
  const templateRepository = new TemplateRepository(db);
  const templates = new TemplateService(options.catalog, templateRepository, store);
  const metrics = createApiMetrics(options.metrics, async () => ({
    render: await queue.depth(),
    dead: await queue.deadLetterDepth(),
  }));
  const hub = new MemeEventHub(logger.child({ module: 'events' }));
  await hub.start(queue);
  const images = new ObjectCache(store, {
    maxBytes: settings.IMAGE_CACHE_BYTES,
    maxObjectBytes: settings.IMAGE_CACHE_MAX_OBJECT_BYTES,
    observer: cacheObserver(metrics, 'images'),
  });
  const done = new DoneMemeCache(settings.MEME_CACHE_BYTES, cacheObserver(metrics, 'memes'));
  metrics.cacheContents.set('images', () => images.stats);
  metrics.cacheContents.set('memes', () => done.stats);
  const memeService = new MemeService({
    memes,
    templates,
    backgrounds,
    queue,
    hub,
    metrics,
    logger: logger.child({ module: 'memes' }),
    done,
    admission: new BacklogAdmission(() => queue.depth(), settings.MAX_RENDER_BACKLOG),
  });
  const sweeper = new QueuedMemeSweeper(
    { memes, service: memeService, metrics, logger: logger.child({ module: 'sweeper' }) },
    { intervalMs: settings.SWEEPER_INTERVAL_MS, staleAfterMs: settings.SWEEPER_STALE_AFTER_MS },
  );

  const http = await createHttpServer({
    logger: logger.child({ module: 'http' }),
    metrics,
    bodyLimitBytes: settings.BODY_LIMIT_BYTES,
    trustProxy: settings.TRUST_PROXY,
  });
  const writeRateLimit = { max: settings.RATE_LIMIT_WRITES_PER_MINUTE, timeWindow: 60_000 };
  registerHealthRoutes(http, { readiness: options.readiness, metrics: options.metrics });
  await registerOpenApiRoutes(http);
  registerMemeRoutes(http, { memes: memeService, hub, images, metrics, writeRateLimit });
  registerMemegenRoutes(http, {
    memes: memeService,
    done,
    images,
    isBundledTemplate: (id) => templates.isBundled(id),
    rateLimit: { max: settings.RATE_LIMIT_IMAGES_PER_MINUTE, timeWindow: 60_000 },
  });
  registerTemplateRoutes(http, {
    templates,
    custom: new CustomTemplateService(templates, templateRepository, store),
    adminKey: settings.ADMIN_API_KEY,
    writeRateLimit,
  });
  registerBackgroundRoutes(http, { backgrounds: new BackgroundService(backgrounds, store), writeRateLimit });
  await registerWebRoutes(http, settings.WEB_DIR);
  sweeper.start();

  return {
    http,
    sweeper,
    hub,
    stopBackgroundWork: async () => {
      await sweeper.stop();
      await hub.stop();
    },
  };
};
