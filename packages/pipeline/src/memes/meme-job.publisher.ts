import type { Queue } from '@memelab/adapters';
import { type Logger, SpanKind, traceHeaders, withSpan } from '@memelab/platform';
import type { MemeRepository } from './meme.repository.ts';

export interface MemeJobPublisherOptions {
  readonly memes: MemeRepository;
  readonly queue: Queue;
  readonly logger: Logger;
  /** This publisher's name in the claims it makes, `<role>@<host>`. */
  readonly claimer: string;
  /** Confirmations are recorded together once this many are waiting ... */
  readonly maxBatch?: number;
  /** ... or this long after the first of them. */
  readonly flushDelayMs?: number;
}

export interface RepublishOptions {
  /** Claims older than this are taken over (their publisher died or gave up). */
  readonly staleAfterMs: number;
  /** When this process started: claims its own name made before then are taken over at once. */
  readonly startedAt?: Date;
  readonly limit?: number;
}

const DEFAULT_MAX_BATCH = 256;
/**
 * Long enough that a busy API writes one statement for many memes; far below the sweeper's
 * staleness, so a confirmation waiting here never makes a job look unpublished.
 */
const DEFAULT_FLUSH_DELAY_MS = 100;
const DEFAULT_REPUBLISH_LIMIT = 500;

/**
 * Publishes memes' render jobs and records, once the broker has confirmed a job, that the
 * meme is published. A meme without that record is not provably in the broker, and only
 * such memes are ever published again (`republishUnpublished`), so a job safely waiting in
 * the queue is never duplicated however long no worker takes it.
 *
 * Confirmations are written in batches, one UPDATE for many memes, because a statement per
 * meme would cost the database as much as the insert itself. A crash before a batch is
 * written leaves those memes unpublished in the table: they are published once more, a
 * duplicate job that the worker acknowledges without rendering twice.
 */
export class MemeJobPublisher {
  private readonly maxBatch: number;
  private readonly flushDelayMs: number;
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly options: MemeJobPublisherOptions) {
    this.maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    this.flushDelayMs = options.flushDelayMs ?? DEFAULT_FLUSH_DELAY_MS;
  }

  get claimer(): string {
    return this.options.claimer;
  }

  /** Publishes the job (resolving once the broker confirmed it) and records the confirmation soon after. */
  async publish(memeId: string, correlationId: string | undefined): Promise<void> {
    // The job carries the publish span's trace context, so the worker's spans join this trace.
    await withSpan(
      'publish render',
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': this.options.queue.kind === 'rabbitmq' ? 'rabbitmq' : 'memelab-memory',
          'messaging.operation.type': 'send',
          'messaging.destination.name': 'render',
          'memelab.meme.id': memeId,
        },
      },
      () =>
        this.options.queue.publishJob(
          { memeId },
          { ...(correlationId === undefined ? {} : { correlationId }), ...traceHeaders() },
        ),
    );
    this.pending.add(memeId);
    if (this.pending.size >= this.maxBatch) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.flushDelayMs);
  }

  /**
   * Publishes memes whose job is not provably in the broker and whose claim is stale (or was
   * made by an earlier life of this process). Stops at the first failure (the broker is
   * likely down) and leaves the rest for the next pass. Resolves to the number published.
   */
  async republishUnpublished(options: RepublishOptions): Promise<number> {
    const claimed = await this.options.memes.claimUnpublished({
      claimer: this.options.claimer,
      claimedBefore: new Date(Date.now() - options.staleAfterMs),
      ...(options.startedAt === undefined
        ? {}
        : {
            startedAt: options.startedAt,
            // The in-process queue starts empty: every job it held went with the last process.
            includePublishedBeforeStart: this.options.queue.kind === 'memory',
          }),
      limit: options.limit ?? DEFAULT_REPUBLISH_LIMIT,
    });
    let published = 0;
    for (const { id, correlationId } of claimed) {
      try {
        await this.publish(id, correlationId ?? undefined);
        published++;
      } catch (error) {
        this.options.logger.warn({ memeId: id, err: error }, 'could not publish a render job; will try again later');
        break;
      }
    }
    await this.flush();
    return published;
  }

  /** Writes the confirmations waiting now; resolves once they (and earlier batches) are written. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const ids = [...this.pending];
    this.pending = new Set();
    if (ids.length > 0) {
      this.flushing = this.flushing.then(() =>
        this.options.memes.markPublished(ids).catch((error: unknown) => {
          // Left unpublished in the table: published once more later, a harmless duplicate.
          this.options.logger.warn({ err: error, memes: ids.length }, 'could not record published render jobs');
        }),
      );
    }
    return this.flushing;
  }
}
