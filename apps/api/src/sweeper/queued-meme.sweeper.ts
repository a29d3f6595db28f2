import type { MemeRepository } from '@memelab/pipeline';
import type { Logger } from '@memelab/platform';
import type { ApiMetrics } from '../http/api.metrics.ts';
import type { MemeService } from '../memes/meme.service.ts';

export interface SweeperOptions {
  readonly intervalMs: number;
  /** A queued meme older than this since its last publish is presumed lost and republished. */
  readonly staleAfterMs: number;
  readonly batchSize?: number;
}

/**
 * Republishes memes left `queued`: the API crashed between insert and publish, the broker
 * lost a message or was down when the API published. Republishing is safe because rendering
 * is idempotent; a duplicate job finds the meme done and acknowledges at once.
 */
export class QueuedMemeSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly deps: { memes: MemeRepository; service: MemeService; metrics: ApiMetrics; logger: Logger },
    private readonly options: SweeperOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      void this.sweep();
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** One pass; concurrent calls share it. Resolves to the number of memes republished. */
  sweep(): Promise<number> {
    this.running ??= this.sweepOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async sweepOnce(): Promise<number> {
    const { memes, service, metrics, logger } = this.deps;
    try {
      const stale = await memes.claimStaleQueued(
        new Date(Date.now() - this.options.staleAfterMs),
        this.options.batchSize ?? 500,
      );
      let republished = 0;
      for (const { id, correlationId } of stale) {
        try {
          await service.republish(id, correlationId ?? undefined);
          republished++;
        } catch (error) {
          logger.warn({ memeId: id, err: error }, 'sweeper could not republish; will try again next pass');
          break;
        }
      }
      if (republished > 0) {
        metrics.sweptMemes.inc(republished);
        logger.info({ republished }, 'sweeper republished memes left queued');
      }
      return republished;
    } catch (error) {
      logger.warn({ err: error }, 'sweeper pass failed');
      return 0;
    }
  }
}
