import { hostname } from 'node:os';
import { type MemeRenderedEvent, type Queue, StatementBatcher } from '@memelab/adapters';
import {
  AppError,
  canonicalizeMemeSpec,
  canonicalMemeIdOf,
  type MemeSpec,
  type PlanBase,
  parseMemeSpec,
  planMeme,
} from '@memelab/core';
import {
  type BackgroundRepository,
  fitWithinOutputLimit,
  fromMemeSnapshot,
  type InsertOutcome,
  insertOutcomeOf,
  type Meme,
  MemeJobPublisher,
  type MemeRepository,
  type NewMeme,
  type RecentCursor,
  type RepublishOptions,
  type TemplateService,
} from '@memelab/pipeline';
import type { Logger } from '@memelab/platform';
import type { MemeEventHub } from '../events/meme-event-hub.ts';
import type { ApiMetrics } from '../http/api.metrics.ts';
import type { BacklogAdmission } from './backlog-admission.ts';
import type { DoneMemeCache } from './done-meme.cache.ts';

export interface MemeServiceDeps {
  readonly memes: MemeRepository;
  readonly templates: TemplateService;
  readonly backgrounds: BackgroundRepository;
  readonly queue: Queue;
  readonly hub: MemeEventHub;
  readonly metrics: ApiMetrics;
  readonly logger: Logger;
  /** Rendered memes, which never change again: served without a database query. */
  readonly done: DoneMemeCache;
  /** Refuses new memes (503 RENDER_BACKLOG_FULL) while the render queue is at its limit. */
  readonly admission: BacklogAdmission;
}

export interface CreatedMeme {
  readonly meme: Meme;
  /** False when this exact meme existed already (same canonical spec, same id). */
  readonly created: boolean;
}

/** How long an accept waits for the broker to confirm the job before answering 202 anyway. */
const PUBLISH_WAIT_MS = 2000;

/** How long a client is told to wait before trying again while the database is unreachable. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Accepting memes. The API validates everything it can without rendering (spec, template,
 * background, captions against boxes, output size), writes the row, then publishes the job
 * with publisher confirms. A publish that fails leaves the row unpublished for the sweeper,
 * so an accepted meme is never lost; the client still gets its 202.
 *
 * Acceptance policy: a meme is accepted (202) whenever its row can be written; the row is the
 * promise. The object store and the broker being down do not stop acceptance (the job waits
 * in the broker, or in the table until the broker is back), so they do not make the API
 * unready either. Without the database nothing can be promised: 503 with Retry-After, and
 * the API's /readyz is 503 too.
 */
export class MemeService {
  private readonly publisher: MemeJobPublisher;
  /**
   * Accepts that arrive together write their rows in one statement and one commit: under
   * load the insert was the database's largest share of work per meme, and its round trip
   * the API's. An idle API waits only for the end of the current event-loop turn.
   */
  private readonly inserts: StatementBatcher<NewMeme, InsertOutcome>;

  constructor(private readonly deps: MemeServiceDeps) {
    this.publisher = new MemeJobPublisher({
      memes: deps.memes,
      queue: deps.queue,
      logger: deps.logger,
      claimer: `api@${hostname()}`,
    });
    this.inserts = new StatementBatcher(
      (memes) => deps.memes.insertManyIfAbsent(memes),
      (meme) => meme.id,
      { maxInFlight: 2 },
    );
  }

  async create(input: unknown, correlationId: string | undefined): Promise<CreatedMeme> {
    const spec = canonicalizeMemeSpec(parseMemeSpec(input));
    const base = await this.baseOf(spec);
    const id = canonicalMemeIdOf(spec);
    // A rendered meme was planned when it was accepted; asking for it again reads nothing.
    const rendered = this.deps.done.get(id);
    if (rendered !== undefined) {
      this.deps.metrics.memesAccepted.inc({ outcome: 'existing' });
      return { meme: rendered, created: false };
    }
    planMeme(spec, base);
    await this.deps.admission.admit();
    const { meme, created } = await this.accepted(
      this.insert({ id, spec, correlationId, claimedBy: this.publisher.claimer }),
    );
    if (created) {
      this.deps.metrics.memesAccepted.inc({ outcome: 'new' });
      await this.publish(id, correlationId);
      return { meme, created };
    }
    if (meme.status === 'failed' && (await this.accepted(this.deps.memes.requeueFailed(id, this.publisher.claimer)))) {
      this.deps.metrics.memesAccepted.inc({ outcome: 'retried' });
      await this.publish(id, correlationId);
      return { meme: await this.get(id), created: false };
    }
    this.deps.metrics.memesAccepted.inc({ outcome: 'existing' });
    this.deps.done.remember(meme);
    return { meme, created };
  }

  /**
   * Publishes the jobs of memes not provably in the broker (the sweeper's path): their
   * publisher died or gave up. Resolves to the number published.
   */
  async republishUnpublished(options: RepublishOptions): Promise<number> {
    const published = await this.publisher.republishUnpublished(options);
    if (published > 0) this.deps.metrics.jobsPublished.inc({ via: 'sweeper' }, published);
    return published;
  }

  /** Writes the publish confirmations still waiting (at shutdown). */
  flushPublished(): Promise<void> {
    return this.publisher.flush();
  }

  async get(id: string): Promise<Meme> {
    const rendered = this.deps.done.get(id);
    if (rendered !== undefined) return rendered;
    const meme = await this.deps.memes.find(id);
    if (meme === undefined) throw new AppError('MEME_NOT_FOUND', `There is no meme "${id}".`, { status: 404 });
    this.deps.done.remember(meme);
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
    if (carried === undefined || carried.id !== event.memeId || carried.status !== event.status) {
      return this.get(event.memeId);
    }
    this.deps.done.remember(carried);
    return carried;
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

  /** The database's answer, or 503 DATABASE_UNAVAILABLE when it cannot answer (nothing can be promised). */
  private async insert(meme: NewMeme): Promise<InsertOutcome> {
    return insertOutcomeOf(meme.id, await this.inserts.submit(meme));
  }

  private async accepted<T>(write: Promise<T>): Promise<T> {
    try {
      return await write;
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('DATABASE_UNAVAILABLE', 'The meme could not be stored just now; try again shortly.', {
        status: 503,
        cause: Object.assign(error instanceof Error ? error : new Error(String(error)), {
          retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
        }),
      });
    }
  }

  /**
   * Publishes the job, waiting for the broker's confirm at most PUBLISH_WAIT_MS: the row is
   * already the promise, so a broker that is restarting or slow to confirm must not hold
   * the client's 202. A publish still going on carries on in the background; one that
   * fails leaves the meme unpublished for the sweeper.
   */
  private async publish(id: string, correlationId: string | undefined): Promise<void> {
    const published = this.publisher.publish(id, correlationId).then(
      () => {
        this.deps.metrics.jobsPublished.inc({ via: 'api' });
      },
      (error: unknown) => {
        this.deps.metrics.publishFailures.inc();
        this.deps.logger.warn({ memeId: id, err: error }, 'could not publish the render job; the sweeper will retry');
      },
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      published,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, PUBLISH_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
  }
}
