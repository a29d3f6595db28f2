/**
 * Readiness: the process can serve because every dependency answered just now, and it is
 * not shutting down. Liveness (`/healthz`) is only "the event loop runs"; restarting a
 * process because its database is down would not help, so dependencies never affect it.
 */
export type ReadinessCheck = () => Promise<void> | void;

export interface ReadinessReport {
  readonly ready: boolean;
  readonly shuttingDown: boolean;
  readonly checks: Readonly<
    Record<string, { readonly ok: boolean; readonly error?: string; readonly ms: number; readonly optional?: true }>
  >;
}

export interface ReadinessCheckOptions {
  /**
   * Reported, but a failure does not make the process unready: the process still does its
   * job without this dependency (the API accepts memes while the object store is down).
   */
  readonly optional?: boolean;
}

export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly optional = new Set<string>();
  private shuttingDown = false;

  constructor(private readonly timeoutMs = 2_000) {}

  add(name: string, check: ReadinessCheck, options: ReadinessCheckOptions = {}): this {
    this.checks.set(name, check);
    if (options.optional === true) this.optional.add(name);
    else this.optional.delete(name);
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
      [...this.checks].map(async ([name, check]) => {
        const result = await this.run(check);
        return [name, this.optional.has(name) ? { ...result, optional: true as const } : result] as const;
      }),
    );
    const checks = Object.fromEntries(entries);
    return {
      ready: !this.shuttingDown && entries.every(([name, result]) => result.ok || this.optional.has(name)),
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
