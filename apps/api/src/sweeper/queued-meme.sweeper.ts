import type { MemeRepository } from '@memelab/pipeline';
import type { Logger } from '@memelab/platform';
import type { ApiMetrics } from '../http/api.metrics.ts';
import type { MemeService } from '../memes/meme.service.ts';

export interface SweeperOptions {
  readonly intervalMs: number;
  /**
   * A meme claimed for publishing this long ago and still not confirmed as published is
   * taken over: its publisher died or gave up. Longer than a publish can take (the wait for
   * a reconnect plus the broker's confirm).
   */
  readonly staleAfterMs: number;
  readonly batchSize?: number;
  /** When this process started; its first pass also takes over claims of its own earlier life. Now by default. */
  readonly startedAt?: Date;
}

/**
 * Publishes the jobs of memes accepted but not provably in the broker: the API died between
 * insert and publish, or the broker was down when it published. A meme whose job the broker
 * confirmed is never published again, however long it waits for a worker, so the queue holds
 * each accepted meme once and its depth stays a true signal for autoscaling. The first pass
 * runs at start: memes a previous life of this API left unpublished go out at once.
 */
export class QueuedMemeSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private readonly startedAt: Date;
  private firstPass = true;

  constructor(
    private readonly deps: { memes: MemeRepository; service: MemeService; metrics: ApiMetrics; logger: Logger },
    private readonly options: SweeperOptions,
  ) {
    this.startedAt = options.startedAt ?? new Date();
  }

  start(): void {
    void this.sweep();
    this.timer = setInterval(() => {
      void this.sweep();
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** One pass; concurrent calls share it. Resolves to the number of memes published. */
  sweep(): Promise<number> {
    this.running ??= this.sweepOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await this.deps.service.flushPublished();
  }

  private async sweepOnce(): Promise<number> {
    const { service, metrics, logger } = this.deps;
    try {
      const published = await service.republishUnpublished({
        staleAfterMs: this.options.staleAfterMs,
        ...(this.firstPass ? { startedAt: this.startedAt } : {}),
        ...(this.options.batchSize === undefined ? {} : { limit: this.options.batchSize }),
      });
      this.firstPass = false;
      if (published > 0) {
        metrics.sweptMemes.inc(published);
        logger.info({ published }, 'sweeper published memes left unpublished');
      }
      return published;
    } catch (error) {
      logger.warn({ err: error }, 'sweeper pass failed');
      return 0;
    }
  }
}
