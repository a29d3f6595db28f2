import { AppError } from '@memelab/core';

/**
 * Load shedding for new memes: while the render queue holds `limit` jobs or more, a new
 * meme is refused with 503 RENDER_BACKLOG_FULL and Retry-After, so an overload turns into
 * answers a client can act on instead of a backlog that breaks every render-time promise.
 * The depth is read from the broker at most once per `refreshMs` (one passive declare),
 * shared by every request meanwhile. If the broker cannot say, memes are accepted: a
 * broker outage does not stop acceptance (the row is the promise).
 */
export class BacklogAdmission {
  private known: { depth: number; at: number } | undefined;
  private reading: Promise<number | undefined> | undefined;
  private readonly now: () => number;

  constructor(
    private readonly depth: () => Promise<number>,
    private readonly limit: number,
    private readonly options: { refreshMs?: number; retryAfterSeconds?: number; now?: () => number } = {},
  ) {
    this.now = options.now ?? (() => performance.now());
  }

  /** Resolves when a new meme may be accepted; rejects with 503 RENDER_BACKLOG_FULL otherwise. */
  async admit(): Promise<void> {
    if (this.limit <= 0) return;
    const depth = await this.currentDepth();
    if (depth === undefined || depth < this.limit) return;
    throw new AppError(
      'RENDER_BACKLOG_FULL',
      `The render queue holds ${depth} memes, at its limit of ${this.limit}; try again shortly.`,
      {
        status: 503,
        cause: Object.assign(new Error('render backlog full'), {
          retryAfterSeconds: this.options.retryAfterSeconds ?? 2,
        }),
      },
    );
  }

  private async currentDepth(): Promise<number | undefined> {
    const now = this.now();
    if (this.known !== undefined && now - this.known.at < (this.options.refreshMs ?? 500)) return this.known.depth;
    this.reading ??= this.depth()
      .then((depth) => {
        this.known = { depth, at: this.now() };
        return depth;
      })
      .catch(() => undefined)
      .finally(() => {
        this.reading = undefined;
      });
    return this.reading;
  }
}
