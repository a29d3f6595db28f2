import type { MemeRenderedEvent, Queue } from '@memelab/adapters';
import {
  AppError,
  canonicalizeMemeSpec,
  type MemeSpec,
  memeIdOf,
  type PlanBase,
  parseMemeSpec,
  planMeme,
} from '@memelab/core';
import {
  type BackgroundRepository,
  fitWithinOutputLimit,
  fromMemeSnapshot,
  type Meme,
  type MemeRepository,
  type RecentCursor,
  type TemplateService,
} from '@memelab/pipeline';
import type { Logger } from '@memelab/platform';
import type { MemeEventHub } from '../events/meme-event-hub.ts';
import type { ApiMetrics } from '../http/api.metrics.ts';

export interface MemeServiceDeps {
  readonly memes: MemeRepository;
  readonly templates: TemplateService;
  readonly backgrounds: BackgroundRepository;
  readonly queue: Queue;
  readonly hub: MemeEventHub;
  readonly metrics: ApiMetrics;
  readonly logger: Logger;
}

export interface CreatedMeme {
  readonly meme: Meme;
  /** False when this exact meme existed already (same canonical spec, same id). */
  readonly created: boolean;
}

/**
 * Accepting memes. The API validates everything it can without rendering (spec, template,
 * background, captions against boxes, output size), writes the row, then publishes the job
 * with publisher confirms. A publish that fails leaves the row queued for the sweeper, so an
 * accepted meme is never lost; the client still gets its 202.
 */
export class MemeService {
  constructor(private readonly deps: MemeServiceDeps) {}

  async create(input: unknown, correlationId: string | undefined): Promise<CreatedMeme> {
    const spec = canonicalizeMemeSpec(parseMemeSpec(input));
    planMeme(spec, await this.baseOf(spec));
    const id = memeIdOf(spec);
    const { meme, created } = await this.deps.memes.insertIfAbsent({ id, spec, correlationId });
    if (created) {
      this.deps.metrics.memesAccepted.inc({ outcome: 'new' });
      await this.publish(id, correlationId);
      return { meme, created };
    }
    if (meme.status === 'failed' && (await this.deps.memes.requeueFailed(id))) {
      this.deps.metrics.memesAccepted.inc({ outcome: 'retried' });
      await this.publish(id, correlationId);
      return { meme: await this.get(id), created: false };
    }
    this.deps.metrics.memesAccepted.inc({ outcome: 'existing' });
    return { meme, created };
  }

  /** Republishes a meme's job (the sweeper's path); failures are the caller's to log. */
  async republish(id: string, correlationId: string | undefined): Promise<void> {
    await this.deps.queue.publishJob({ memeId: id }, correlationId === undefined ? {} : { correlationId });
    this.deps.metrics.jobsPublished.inc({ via: 'sweeper' });
  }

  async get(id: string): Promise<Meme> {
    const meme = await this.deps.memes.find(id);
    if (meme === undefined) throw new AppError('MEME_NOT_FOUND', `There is no meme "${id}".`, { status: 404 });
    return meme;
  }

  /**
   * The meme once it is done or failed, or as it is after `timeoutMs`. Listens before it
   * looks, so an event that lands between the two is not missed.
   */
  async waitUntilSettled(id: string, timeoutMs: number, signal?: AbortSignal): Promise<Meme> {
    if (timeoutMs <= 0) return this.get(id);
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    signal?.addEventListener('abort', abort, { once: true });
    try {
      const next = this.deps.hub.next(id, timeoutMs, controller.signal);
      const meme = await this.get(id);
      if (meme.status !== 'queued') return meme;
      const event = await next;
      return event === undefined ? this.get(id) : this.settledBy(event);
    } finally {
      controller.abort();
      signal?.removeEventListener('abort', abort);
    }
  }

  /** The meme an event announces: the copy the event carries when it has one, else the stored row. */
  async settledBy(event: MemeRenderedEvent): Promise<Meme> {
    const carried = fromMemeSnapshot(event.meme);
    return carried !== undefined && carried.id === event.memeId && carried.status === event.status
      ? carried
      : this.get(event.memeId);
  }

  recent(limit: number, after?: RecentCursor): Promise<Meme[]> {
    return this.deps.memes.listRecent(limit, after);
  }

  private async baseOf(spec: MemeSpec): Promise<PlanBase> {
    if (spec.template !== undefined) return (await this.deps.templates.get(spec.template)).template;
    const background = await this.deps.backgrounds.find(spec.background ?? '');
    if (background === undefined) {
      throw new AppError('BACKGROUND_NOT_FOUND', `There is no uploaded background "${spec.background ?? ''}".`, {
        status: 404,
      });
    }
    return { ...fitWithinOutputLimit(background.width, background.height), textBoxes: [] };
  }

  private async publish(id: string, correlationId: string | undefined): Promise<void> {
    try {
      await this.deps.queue.publishJob({ memeId: id }, correlationId === undefined ? {} : { correlationId });
      this.deps.metrics.jobsPublished.inc({ via: 'api' });
    } catch (error) {
      this.deps.metrics.publishFailures.inc();
      this.deps.logger.warn({ memeId: id, err: error }, 'could not publish the render job; the sweeper will retry');
    }
  }
}
