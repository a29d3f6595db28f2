/**
 * Readiness: the process can serve because every dependency answered just now, and it is
 * not shutting down. Liveness (`/healthz`) is only "the event loop runs"; restarting a
 * process because its database is down would not help, so dependencies never affect it.
 */
export type ReadinessCheck = () => Promise<void> | void;

export interface ReadinessReport {
  readonly ready: boolean;
  readonly shuttingDown: boolean;
  readonly checks: Readonly<Record<string, { readonly ok: boolean; readonly error?: string; readonly ms: number }>>;
}

export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  private shuttingDown = false;

  constructor(private readonly timeoutMs = 2_000) {}

  add(name: string, check: ReadinessCheck): this {
    this.checks.set(name, check);
    return this;
  }

  /** After SIGTERM: report not ready, so load balancers stop sending new work. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  async report(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await this.run(check)] as const),
    );
    const checks = Object.fromEntries(entries);
    return {
      ready: !this.shuttingDown && entries.every(([, result]) => result.ok),
      shuttingDown: this.shuttingDown,
      checks,
    };
  }

  private async run(check: ReadinessCheck): Promise<{ ok: boolean; error?: string; ms: number }> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(check),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
        }),
      ]);
      return { ok: true, ms: Math.round(performance.now() - started) };
    } catch (error) {
      return {
        ok: false,
        error: error instanceof Error ? error.message : String(error),
        ms: Math.round(performance.now() - started),
      };
    } finally {
      clearTimeout(timer);
    }
  }
}
