import { type JobOutcome, type ObjectStore, type Queue, StatementBatcher } from '@memelab/adapters';
import { isAppError, planMeme } from '@memelab/core';
import {
  type Meme,
  type MemeBaseResolver,
  type MemeRepository,
  memeObjectKey,
  type RenderedMeme,
  toMemeSnapshot,
} from '@memelab/pipeline';
import { type Logger, withSpan } from '@memelab/platform';
import { CONTENT_TYPES, type MemeRenderer } from '@memelab/render';
import type { WorkerMetrics } from '../worker.metrics.ts';

export interface RetryPolicy {
  /** Attempts in all, the first included: a cap that no meme exceeds, however long its budget. */
  readonly maxAttempts: number;
  /** Transient failures are retried until this long after the first attempt began. */
  readonly budgetMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface RenderServiceDeps {
  readonly memes: MemeRepository;
  readonly resolver: MemeBaseResolver;
  readonly renderer: MemeRenderer;
  readonly store: ObjectStore;
  readonly queue: Queue;
  readonly metrics: WorkerMetrics;
  readonly retry: RetryPolicy;
  readonly logger: Logger;
  /** Told of every transient failure, so the worker can check its dependencies at once. */
  readonly onTransientFailure?: (error: unknown) => void;
}

/**
 * Capped exponential backoff with equal jitter: base, 2 x base, 4 x base ... capped at the
 * maximum, then a random point in its upper half, so workers that failed together do not
 * retry together, and no retry comes sooner than half its step.
 */
export const retryDelayMs = (attempt: number, policy: RetryPolicy, random: () => number = Math.random): number => {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (random() * step) / 2);
};

type Transition =
  | { readonly kind: 'begin'; readonly id: string }
  | { readonly kind: 'done'; readonly result: RenderedMeme };

/** Seconds from `since` to now; never negative when the database's clock runs ahead. */
const secondsSince = (since: Date): number => Math.max(0, (Date.now() - since.getTime()) / 1000);

/**
 * Renders one meme, idempotently: a meme already done is acknowledged without work, and the
 * object key is the meme's content id, so a redelivered job rewrites the same bytes.
 * Bad input (an operational 4xx error: a template deleted meanwhile, a spec that no longer
 * fits) fails at once; anything else is transient and retried, by a time budget from the
 * first attempt, capped by a number of attempts. A meme that fails for good leaves no object
 * behind.
 */
export class RenderService {
  /**
   * The two writes of a render, the start of its attempt and its done state, for all the
   * jobs that reach either step together, in one statement; each job is acked once its row
   * is written. A batch holds each meme once, so a duplicate delivery waits for the next one.
   */
  private readonly transitions: StatementBatcher<Transition, Meme>;

  constructor(private readonly deps: RenderServiceDeps) {
    this.transitions = new StatementBatcher(
      (steps) =>
        deps.memes.beginAttemptsAndMarkDone(
          steps.flatMap((step) => (step.kind === 'begin' ? [step.id] : [])),
          steps.flatMap((step) => (step.kind === 'done' ? [step.result] : [])),
          deps.retry.maxAttempts,
        ),
      (step) => (step.kind === 'begin' ? step.id : step.result.id),
    );
  }

  async render(memeId: string, attempt: number, firstAttemptAt: number = Date.now()): Promise<JobOutcome> {
    const { memes, logger } = this.deps;
    const meme = await this.transitions.submit({ kind: 'begin', id: memeId });
    if (meme === undefined) {
      const settled = await memes.find(memeId);
      if (settled === undefined) {
        logger.warn({ memeId }, 'job for an unknown meme; dropping it');
        this.deps.metrics.deadLettered.inc({ reason: 'unknown_meme' });
        return { kind: 'dead', reason: 'unknown meme' };
      }
      if (settled.status === 'queued') {
        // Out of attempts: the last one died with its worker before it could settle the meme.
        return this.fail(settled, attempt, `gave up after ${settled.attempts} attempts`, false);
      }
      logger.info({ memeId, status: settled.status }, 'meme already settled; nothing to do');
      return { kind: 'done' };
    }
    if (attempt === 1) this.deps.metrics.queueWait.observe(secondsSince(meme.publishedAt ?? meme.createdAt));
    const stopTimer = this.deps.metrics.renderDuration.startTimer({ format: meme.format });
    try {
      const { base, background } = await this.deps.resolver.resolve(meme.spec);
      const plan = planMeme(meme.spec, base);
      const image = await withSpan('render meme', { attributes: { 'memelab.meme.format': plan.format } }, () =>
        this.deps.renderer.render(plan, background),
      );
      const objectKey = memeObjectKey(memeId, plan.format);
      await this.deps.store.put(objectKey, image.bytes, CONTENT_TYPES[plan.format]);
      const done = await this.transitions.submit({
        kind: 'done',
        result: { id: memeId, objectKey, width: image.width, height: image.height, bytes: image.bytes.byteLength },
      });
      stopTimer({ outcome: 'done' });
      this.deps.metrics.jobs.inc({ outcome: 'done' });
      this.deps.metrics.endToEnd.observe({ outcome: 'done' }, secondsSince(meme.createdAt));
      logger.info({ memeId, attempt, objectKey, bytes: image.bytes.byteLength }, 'meme rendered');
      await this.announce(memeId, 'done', done);
      return { kind: 'done' };
    } catch (error) {
      stopTimer({ outcome: 'error' });
      return this.onFailure(meme, attempt, firstAttemptAt, error);
    }
  }

  private async onFailure(meme: Meme, attempt: number, firstAttemptAt: number, error: unknown): Promise<JobOutcome> {
    const { logger, retry, metrics } = this.deps;
    const permanent = isAppError(error) && error.operational && error.status < 500;
    const reason = error instanceof Error ? error.message : String(error);
    if (permanent) return this.fail(meme, attempt, reason, true, error);
    this.deps.onTransientFailure?.(error);
    const delayMs = retryDelayMs(meme.attempts, retry);
    const withinBudget = Date.now() + delayMs - firstAttemptAt <= retry.budgetMs;
    if (meme.attempts < retry.maxAttempts && withinBudget) {
      metrics.jobs.inc({ outcome: 'retry' });
      logger.warn({ memeId: meme.id, attempt: meme.attempts, delayMs, err: error }, 'render failed; will retry');
      return { kind: 'retry', delayMs, reason };
    }
    return this.fail(meme, attempt, reason, false, error);
  }

  /** Fails the meme for good and removes any object written for it (a store outage may have come after the write). */
  private async fail(
    meme: Meme,
    attempt: number,
    reason: string,
    permanent: boolean,
    error?: unknown,
  ): Promise<JobOutcome> {
    const { memes, logger, metrics } = this.deps;
    if (await memes.markFailed(meme.id, reason)) {
      try {
        await this.deps.store.delete(memeObjectKey(meme.id, meme.format));
      } catch (deleteError) {
        logger.warn({ memeId: meme.id, err: deleteError }, 'could not remove the object of a failed meme');
      }
    }
    metrics.jobs.inc({ outcome: 'failed' });
    metrics.deadLettered.inc({ reason: permanent ? 'bad_input' : 'attempts_exhausted' });
    metrics.endToEnd.observe({ outcome: 'failed' }, secondsSince(meme.createdAt));
    logger.error(
      { memeId: meme.id, attempt, attempts: meme.attempts, permanent, err: error },
      'render failed for good',
    );
    await this.announce(meme.id, 'failed');
    return { kind: 'dead', reason };
  }
  /** Best effort: a lost event only delays a browser's update until its next poll. */
  private async announce(memeId: string, status: 'done' | 'failed', meme?: Meme): Promise<void> {
    try {
      await this.deps.queue.publishEvent({
        memeId,
        status,
        at: new Date().toISOString(),
        ...(meme === undefined ? {} : { meme: toMemeSnapshot(meme) }),
      });
    } catch (error) {
      this.deps.logger.warn({ memeId, err: error }, 'could not publish the meme event');
    }
  }
}
