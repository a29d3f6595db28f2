import type { JobOutcome, ObjectStore, Queue } from '@memelab/adapters';
import { isAppError, planMeme } from '@memelab/core';
import {
  type Meme,
  type MemeBaseResolver,
  type MemeRepository,
  memeObjectKey,
  toMemeSnapshot,
} from '@memelab/pipeline';
import type { Logger } from '@memelab/platform';
import { CONTENT_TYPES, type MemeRenderer } from '@memelab/render';
import type { WorkerMetrics } from '../worker.metrics.ts';

export interface RetryPolicy {
  /** Attempts in all, the first included; after the last the meme is failed. */
  readonly maxAttempts: number;
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
}

/** Exponential backoff: base, 2 x base, 4 x base ... capped. */
export const retryDelayMs = (attempt: number, policy: RetryPolicy): number =>
  Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));

/**
 * Renders one meme, idempotently: a meme already done is acknowledged without work, and the
 * object key is the meme's content id, so a redelivered job rewrites the same bytes.
 * Bad input (an operational 4xx error: a template deleted meanwhile, a spec that no longer
 * fits) fails at once; anything else is transient and retried until the attempts run out.
 */
export class RenderService {
  constructor(private readonly deps: RenderServiceDeps) {}

  async render(memeId: string, attempt: number): Promise<JobOutcome> {
    const { memes, logger } = this.deps;
    const meme = await memes.beginAttempt(memeId);
    if (meme === undefined) {
      const settled = await memes.find(memeId);
      if (settled === undefined) {
        logger.warn({ memeId }, 'job for an unknown meme; dropping it');
        return { kind: 'dead', reason: 'unknown meme' };
      }
      logger.info({ memeId, status: settled.status }, 'meme already settled; nothing to do');
      return { kind: 'done' };
    }
    const stopTimer = this.deps.metrics.renderDuration.startTimer();
    try {
      const { base, background } = await this.deps.resolver.resolve(meme.spec);
      const plan = planMeme(meme.spec, base);
      const image = await this.deps.renderer.render(plan, background);
      const objectKey = memeObjectKey(memeId, plan.format);
      await this.deps.store.put(objectKey, image.bytes, CONTENT_TYPES[plan.format]);
      const done = await memes.markDone(memeId, {
        objectKey,
        width: image.width,
        height: image.height,
        bytes: image.bytes.byteLength,
      });
      stopTimer({ outcome: 'done' });
      this.deps.metrics.jobs.inc({ outcome: 'done' });
      logger.info({ memeId, attempt, objectKey, bytes: image.bytes.byteLength }, 'meme rendered');
      await this.announce(memeId, 'done', done);
      return { kind: 'done' };
    } catch (error) {
      stopTimer({ outcome: 'error' });
      return this.onFailure(memeId, attempt, error);
    }
  }

  private async onFailure(memeId: string, attempt: number, error: unknown): Promise<JobOutcome> {
    const { memes, logger, retry, metrics } = this.deps;
    const permanent = isAppError(error) && error.operational && error.status < 500;
    const reason = error instanceof Error ? error.message : String(error);
    if (!permanent && attempt < retry.maxAttempts) {
      const delayMs = retryDelayMs(attempt, retry);
      metrics.jobs.inc({ outcome: 'retry' });
      logger.warn({ memeId, attempt, delayMs, err: error }, 'render failed; will retry');
      return { kind: 'retry', delayMs, reason };
    }
    await memes.markFailed(memeId, reason);
    metrics.jobs.inc({ outcome: 'failed' });
    logger.error({ memeId, attempt, permanent, err: error }, 'render failed for good');
    await this.announce(memeId, 'failed');
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
