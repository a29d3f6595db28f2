import type { Consumer } from '@memelab/adapters';
import type { Logger } from '@memelab/platform';

export interface DependencyCheck {
  readonly name: string;
  /** Resolves when the dependency answers. */
  check(): Promise<void> | void;
}

export interface DependencyGateOptions {
  readonly checks: readonly DependencyCheck[];
  readonly consumer: Consumer;
  /** How often the dependencies are checked while the gate waits for them to answer again. */
  readonly intervalMs: number;
  /** A check that has not answered in this long counts as failed. */
  readonly timeoutMs?: number;
  readonly logger: Logger;
  /** Told whenever the gate opens (true: consuming) or closes. */
  readonly onChange?: (consuming: boolean) => void;
}

const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * Consumes render jobs only while the worker's own dependencies (database, object store)
 * answer. A job taken while one of them is down can only fail, and each failure spends one
 * of the job's attempts; so when a render fails and a check confirms the outage, the
 * consumer is paused (its broker-side consumer cancelled) and the jobs wait in the queue,
 * costing nothing, while the gate checks every `intervalMs` until every dependency answers
 * again. This is what the worker's /readyz reports too, so consumption and readiness agree.
 * While all is well the gate costs nothing: a worker with no jobs has nothing to protect,
 * and a worker with jobs learns of an outage from its first failed render.
 */
export class DependencyGate {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: DependencyGateOptions) {}

  /** Checks now (a render has just failed); concurrent calls share one check. */
  check(): Promise<void> {
    this.running ??= this.checkOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private async checkOnce(): Promise<void> {
    const failing = (await Promise.all(this.options.checks.map(async (check) => this.failureOf(check)))).filter(
      (failure): failure is { name: string; error: string } => failure !== undefined,
    );
    if (this.stopped) return;
    const { consumer, logger } = this.options;
    if (failing.length > 0 && !consumer.isPaused()) {
      await consumer.pause();
      this.timer ??= setInterval(() => void this.check(), this.options.intervalMs);
      this.timer.unref();
      logger.warn({ failing }, 'a dependency is down; paused taking render jobs until it answers');
      this.options.onChange?.(false);
    } else if (failing.length === 0 && consumer.isPaused()) {
      clearInterval(this.timer);
      this.timer = undefined;
      await consumer.resume();
      logger.info('dependencies answer again; taking render jobs');
      this.options.onChange?.(true);
    }
  }

  private async failureOf(check: DependencyCheck): Promise<{ name: string; error: string } | undefined> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(() => check.check()),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error('no answer in time')),
            this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          );
        }),
      ]);
      return undefined;
    } catch (error) {
      return { name: check.name, error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}
