import type { SqlExecutor } from '@memelab/adapters';
import type { MemeSpec } from '@memelab/core';
import type { Meme, MemeStatus } from './meme.ts';

interface MemeRow {
  id: string;
  spec: MemeSpec;
  template_id: string | null;
  status: MemeStatus;
  format: Meme['format'];
  object_key: string | null;
  width: number | null;
  height: number | null;
  bytes: number | null;
  attempts: number;
  failure_reason: string | null;
  correlation_id: string | null;
  created_at: Date;
  published_at: Date | null;
  rendered_at: Date | null;
}

const toMeme = (row: MemeRow): Meme => ({
  id: row.id,
  spec: row.spec,
  templateId: row.template_id,
  status: row.status,
  format: row.format,
  objectKey: row.object_key,
  width: row.width,
  height: row.height,
  bytes: row.bytes,
  attempts: row.attempts,
  failureReason: row.failure_reason,
  correlationId: row.correlation_id,
  createdAt: new Date(row.created_at),
  publishedAt: row.published_at === null ? null : new Date(row.published_at),
  renderedAt: row.rendered_at === null ? null : new Date(row.rendered_at),
});

/** The meme in the first row of a single-row query, if any. */
const firstMeme = (rows: readonly MemeRow[]): Meme | undefined => {
  const row = rows[0];
  return row === undefined ? undefined : toMeme(row);
};

export interface NewMeme {
  readonly id: string;
  readonly spec: MemeSpec;
  readonly correlationId: string | undefined;
}

export interface RecentCursor {
  readonly renderedAt: Date;
  readonly id: string;
}

/** All SQL about memes. Plain PostgreSQL, so it runs on PGlite and on a server alike. */
export class MemeRepository {
  constructor(private readonly db: SqlExecutor) {}

  /**
   * Inserts the meme unless its id exists; returns the row and whether it was new. The
   * publish time is set now, before the job is published: if the publish then fails, the
   * sweeper finds the row stale after its grace period, exactly as if the message was lost.
   */
  async insertIfAbsent(meme: NewMeme): Promise<{ meme: Meme; created: boolean }> {
    const inserted = await this.db.query<MemeRow>(
      `INSERT INTO memes (id, spec, template_id, status, format, correlation_id, published_at)
       VALUES ($1, $2, $3, 'queued', $4, $5, now())
       ON CONFLICT (id) DO NOTHING
       RETURNING *`,
      [meme.id, JSON.stringify(meme.spec), meme.spec.template ?? null, meme.spec.format, meme.correlationId ?? null],
    );
    const row = inserted.rows[0];
    if (row !== undefined) return { meme: toMeme(row), created: true };
    const existing = await this.find(meme.id);
    if (existing === undefined) throw new Error(`meme ${meme.id} vanished between insert and read`);
    return { meme: existing, created: false };
  }

  async find(id: string): Promise<Meme | undefined> {
    const result = await this.db.query<MemeRow>('SELECT * FROM memes WHERE id = $1', [id]);
    return firstMeme(result.rows);
  }

  /** A failed meme asked for again goes back to the queue with a fresh attempt count. */
  async requeueFailed(id: string): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE memes SET status = 'queued', attempts = 0, failure_reason = NULL, published_at = now()
       WHERE id = $1 AND status = 'failed'`,
      [id],
    );
    return result.rowCount > 0;
  }

  /**
   * Starts a render attempt: counts it and returns the meme, in one statement, when the
   * meme is still queued; undefined when it is unknown or already settled.
   */
  async beginAttempt(id: string): Promise<Meme | undefined> {
    const result = await this.db.query<MemeRow>(
      `UPDATE memes SET attempts = attempts + 1 WHERE id = $1 AND status = 'queued' RETURNING *`,
      [id],
    );
    return firstMeme(result.rows);
  }

  /** Marks the meme done and returns it as stored; undefined (a no-op) when it already was. */
  async markDone(
    id: string,
    result: { objectKey: string; width: number; height: number; bytes: number },
  ): Promise<Meme | undefined> {
    const updated = await this.db.query<MemeRow>(
      `UPDATE memes SET status = 'done', object_key = $2, width = $3, height = $4, bytes = $5,
              failure_reason = NULL, rendered_at = date_trunc('milliseconds', now())
       WHERE id = $1 AND status <> 'done'
       RETURNING *`,
      [id, result.objectKey, result.width, result.height, result.bytes],
    );
    return firstMeme(updated.rows);
  }

  async markFailed(id: string, reason: string): Promise<boolean> {
    const updated = await this.db.query(
      `UPDATE memes SET status = 'failed', failure_reason = $2 WHERE id = $1 AND status = 'queued'`,
      [id, reason.slice(0, 1000)],
    );
    return updated.rowCount > 0;
  }

  /**
   * Claims rows left queued since before `staleBefore` (never published, or published and
   * lost: a crash between insert and publish, a broker restart) by moving their publish
   * time to now, so concurrent sweepers in several API replicas do not republish the same
   * rows. SKIP LOCKED lets them share the work without waiting on each other.
   */
  async claimStaleQueued(
    staleBefore: Date,
    limit: number,
  ): Promise<Array<{ id: string; correlationId: string | null }>> {
    const result = await this.db.query<{ id: string; correlation_id: string | null }>(
      `UPDATE memes SET published_at = now()
       WHERE id IN (
         SELECT id FROM memes
         WHERE status = 'queued' AND (published_at IS NULL OR published_at < $1)
         ORDER BY created_at
         LIMIT $2
         FOR UPDATE SKIP LOCKED
       )
       RETURNING id, correlation_id`,
      [staleBefore, limit],
    );
    return result.rows.map((row) => ({ id: row.id, correlationId: row.correlation_id }));
  }

  /**
   * Rendered memes, newest first, after an optional cursor (keyset pagination). Render
   * times are stored at millisecond precision so a cursor from a JS Date is exact.
   */
  async listRecent(limit: number, after?: RecentCursor): Promise<Meme[]> {
    const result =
      after === undefined
        ? await this.db.query<MemeRow>(
            `SELECT * FROM memes WHERE status = 'done' ORDER BY rendered_at DESC, id DESC LIMIT $1`,
            [limit],
          )
        : await this.db.query<MemeRow>(
            `SELECT * FROM memes WHERE status = 'done' AND (rendered_at, id) < ($2, $3)
             ORDER BY rendered_at DESC, id DESC LIMIT $1`,
            [limit, after.renderedAt, after.id],
          );
    return result.rows.map(toMeme);
  }

  async countByStatus(): Promise<Record<MemeStatus, number>> {
    const result = await this.db.query<{ status: MemeStatus; count: string | number }>(
      'SELECT status, count(*) AS count FROM memes GROUP BY status',
    );
    const counts: Record<MemeStatus, number> = { queued: 0, done: 0, failed: 0 };
    for (const row of result.rows) counts[row.status] = Number(row.count);
    return counts;
  }
}
