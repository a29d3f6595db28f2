import type { Logger } from 'pino';

export interface ShutdownOptions {
  readonly logger: Logger;
  /** The whole shutdown must finish within this; Kubernetes' grace period should exceed it. */
  readonly deadlineMs: number;
  /** Ends the process; replaceable in tests. */
  readonly exit?: (code: number) => void;
}

interface Step {
  readonly name: string;
  readonly run: () => Promise<void> | void;
}

/**
 * Ordered graceful shutdown. Steps run one after another in the order they were added
 * (stop accepting work, drain what is in flight, close connections), each failure is
 * logged and does not stop the later steps, and a deadline bounds the whole: past it the
 * process exits 1 rather than hang until SIGKILL. A second signal exits at once.
 */
export class GracefulShutdown {
  private readonly steps: Step[] = [];
  private running: Promise<number> | undefined;
  private readonly exit: (code: number) => void;

  constructor(private readonly options: ShutdownOptions) {
    this.exit = options.exit ?? ((code) => process.exit(code));
  }

  add(name: string, run: () => Promise<void> | void): this {
    this.steps.push({ name, run });
    return this;
  }

  get started(): boolean {
    return this.running !== undefined;
  }

  listen(signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): this {
    for (const signal of signals) {
      process.on(signal, () => {
        if (this.running !== undefined) {
          this.options.logger.warn({ signal }, 'second signal: exiting now');
          this.exit(1);
          return;
        }
        void this.shutdown(signal).then((code) => this.exit(code));
      });
    }
    return this;
  }

  /** Runs the steps once; later calls get the same result. Resolves to the exit code. */
  shutdown(reason: string): Promise<number> {
    this.running ??= this.runSteps(reason);
    return this.running;
  }

  private async runSteps(reason: string): Promise<number> {
    const { logger, deadlineMs } = this.options;
    const started = performance.now();
    logger.info({ reason, deadlineMs }, 'shutting down');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = setTimeout(() => resolve('deadline'), deadlineMs);
      timer.unref();
    });
    let failed = false;
    const steps = (async () => {
      for (const step of this.steps) {
        const stepStarted = performance.now();
        try {
          await step.run();
          logger.info({ step: step.name, ms: Math.round(performance.now() - stepStarted) }, 'shutdown step done');
        } catch (error) {
          failed = true;
          logger.error({ step: step.name, err: error }, 'shutdown step failed');
        }
      }
      return 'done' as const;
    })();
    const outcome = await Promise.race([steps, deadline]);
    clearTimeout(timer);
    const ms = Math.round(performance.now() - started);
    if (outcome === 'deadline') {
      logger.error({ ms }, 'shutdown deadline passed; exiting with work unfinished');
      return 1;
    }
    logger.info({ ms }, failed ? 'shut down with errors' : 'shut down cleanly');
    return failed ? 1 : 0;
  }
}
