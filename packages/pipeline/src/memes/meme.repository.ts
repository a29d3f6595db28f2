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

/**
 * The columns a meme is read from, named rather than `*`: the database may keep a hot
 * statement prepared, and a prepared `*` would fail once a rolling migration adds a column
 * ("cached plan must not change result type").
 */
const MEME_COLUMNS =
  'id, spec, template_id, status, format, object_key, width, height, bytes, attempts, failure_reason, correlation_id, created_at, published_at, rendered_at';

/** The same columns of the table aliased `m`, for statements that join it. */
const MEME_COLUMNS_OF_M = MEME_COLUMNS.split(', ')
  .map((column) => `m.${column}`)
  .join(', ');

/** The meme in the first row of a single-row query, if any. */
const firstMeme = (rows: readonly MemeRow[]): Meme | undefined => {
  const row = rows[0];
  return row === undefined ? undefined : toMeme(row);
};

export interface NewMeme {
  readonly id: string;
  readonly spec: MemeSpec;
  readonly correlationId: string | undefined;
  /** The publisher that will publish its job (`<role>@<host>`). */
  readonly claimedBy?: string;
}

/** Where a rendered meme's image is stored, and what it is. */
export interface RenderedMeme {
  readonly id: string;
  readonly objectKey: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
}

export interface UnpublishedClaim {
  /** Who claims (`<role>@<host>`). */
  readonly claimer: string;
  /** Claims older than this are taken over: their publisher died or gave up. */
  readonly claimedBefore: Date;
  /**
   * A process that has just started also takes over, at once, the claims its own name made
   * before it started: they belong to an earlier life of the same container, which is dead.
   */
  readonly startedAt?: Date;
  /**
   * Also memes published before `startedAt`: their queue lived in a process that has since
   * stopped (the in-process queue of embedded mode), so they are provably not in it.
   */
  readonly includePublishedBeforeStart?: boolean;
  readonly limit: number;
}

export interface RecentCursor {
  readonly renderedAt: Date;
  readonly id: string;
}

/**
 * Starts the attempts of memes still queued with attempts left: ids at `$first`, the
 * maximum at `$first + 1`. A job that reached a worker was published, whether or not its
 * publisher lived to record the broker's confirmation, so the attempt records that too.
 */
const beginAttemptsSql = (first: number): string =>
  `UPDATE memes SET attempts = attempts + 1, published_at = coalesce(published_at, now())
   WHERE id = ANY($${first}::text[]) AND status = 'queued' AND attempts < $${first + 1}
   RETURNING ${MEME_COLUMNS}`;

/** Marks queued memes done with their results, bound from `$first` on in the order of `renderedParams`. */
const markDoneSql = (first: number): string =>
  `UPDATE memes AS m SET status = 'done', object_key = r.object_key, width = r.width, height = r.height,
          bytes = r.bytes, failure_reason = NULL, rendered_at = date_trunc('milliseconds', now())
   FROM unnest($${first}::text[], $${first + 1}::text[], $${first + 2}::integer[], $${first + 3}::integer[], $${first + 4}::integer[])
        AS r (id, object_key, width, height, bytes)
   WHERE m.id = r.id AND m.status = 'queued'
   RETURNING ${MEME_COLUMNS_OF_M}`;

const renderedParams = (results: readonly RenderedMeme[]): unknown[] => [
  results.map((result) => result.id),
  results.map((result) => result.objectKey),
  results.map((result) => result.width),
  results.map((result) => result.height),
  results.map((result) => result.bytes),
];

/** A meme's row after `insertIfAbsent`, and whether that insert created it. */
export interface InsertOutcome {
  readonly meme: Meme;
  readonly created: boolean;
}

/**
 * The outcome `insertManyIfAbsent` gave for `id`. Every id it was given has one: a row is
 * never deleted, so one missing means the database broke that promise.
 */
export const insertOutcomeOf = (id: string, outcome: InsertOutcome | undefined): InsertOutcome => {
  if (outcome === undefined) throw new Error(`meme ${id} vanished between insert and read`);
  return outcome;
};

/** All SQL about memes. Plain PostgreSQL, so it runs on PGlite and on a server alike. */
export class MemeRepository {
  constructor(private readonly db: SqlExecutor) {}

  /**
   * Inserts the meme unless its id exists; returns the row and whether it was new. The row
   * is claimed for publishing by its inserter and stays unpublished (`published_at` NULL)
   * until the broker confirms the job (`markPublished`): if the publisher dies first, the
   * sweeper finds the row unpublished and publishes it.
   */
  async insertIfAbsent(meme: NewMeme): Promise<InsertOutcome> {
    return insertOutcomeOf(meme.id, (await this.insertManyIfAbsent([meme])).get(meme.id));
  }

  /**
   * `insertIfAbsent` for several memes in one statement (the accepts that arrived together),
   * resolving to each id's row and whether it was new. The ids must be distinct: a meme named
   * twice would be inserted once and look new twice.
   */
  async insertManyIfAbsent(memes: readonly NewMeme[]): Promise<Map<string, InsertOutcome>> {
    const outcomes = new Map<string, InsertOutcome>();
    if (memes.length === 0) return outcomes;
    // Specs travel as text and are cast in SQL, so both drivers bind them the same way.
    const inserted = await this.db.query<MemeRow>(
      `INSERT INTO memes (id, spec, template_id, status, format, correlation_id, publish_claimed_at, publish_claimed_by)
       SELECT n.id, n.spec::jsonb, n.template_id, 'queued', n.format, n.correlation_id, now(), n.claimed_by
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
            AS n (id, spec, template_id, format, correlation_id, claimed_by)
       ON CONFLICT (id) DO NOTHING
       RETURNING ${MEME_COLUMNS}`,
      [
        memes.map((meme) => meme.id),
        memes.map((meme) => JSON.stringify(meme.spec)),
        memes.map((meme) => meme.spec.template ?? null),
        memes.map((meme) => meme.spec.format),
        memes.map((meme) => meme.correlationId ?? null),
        memes.map((meme) => meme.claimedBy ?? null),
      ],
    );
    for (const row of inserted.rows) outcomes.set(row.id, { meme: toMeme(row), created: true });
    const existing = memes.filter((meme) => !outcomes.has(meme.id)).map((meme) => meme.id);
    if (existing.length > 0) {
      // A later statement: it sees rows that a concurrent insert committed after this one began.
      const found = await this.db.query<MemeRow>(`SELECT ${MEME_COLUMNS} FROM memes WHERE id = ANY($1::text[])`, [
        existing,
      ]);
      for (const row of found.rows) outcomes.set(row.id, { meme: toMeme(row), created: false });
    }
    return outcomes;
  }

  async find(id: string): Promise<Meme | undefined> {
    const result = await this.db.query<MemeRow>(`SELECT ${MEME_COLUMNS} FROM memes WHERE id = $1`, [id]);
    return firstMeme(result.rows);
  }

  /** A failed meme asked for again goes back to the queue with a fresh attempt count. */
  async requeueFailed(id: string, claimedBy?: string): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE memes SET status = 'queued', attempts = 0, failure_reason = NULL,
              published_at = NULL, publish_claimed_at = now(), publish_claimed_by = $2
       WHERE id = $1 AND status = 'failed'`,
      [id, claimedBy ?? null],
    );
    return result.rowCount > 0;
  }

  /**
   * Records that the broker confirmed these memes' jobs, in one statement for a batch. Rows
   * already settled need no record; rows confirmed twice keep their first time.
   *
   * Rows another statement has locked are skipped, not waited for. The lock is then a
   * worker's (its attempt records the publication itself, its done state needs none), the
   * sweeper's (which publishes the job again) or another recorder's. Waiting deadlocked: a
   * worker's statement and this one each changed several of the same memes, each held one
   * and waited for the other until PostgreSQL aborted one after its deadlock timeout (1 s).
   */
  async markPublished(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(
      `UPDATE memes SET published_at = now()
       WHERE id IN (SELECT id FROM memes WHERE id = ANY($1::text[]) AND status = 'queued' AND published_at IS NULL
                    FOR UPDATE SKIP LOCKED)`,
      [ids],
    );
  }

  /**
   * Starts a render attempt: counts it and returns the meme, in one statement, when the
   * meme is still queued and has attempts left (fewer than `maxAttempts`); undefined when it
   * is unknown, settled or out of attempts (`find` tells which). So `attempts` counts each
   * delivery that began rendering once, and never exceeds the maximum.
   */
  async beginAttempt(id: string, maxAttempts: number): Promise<Meme | undefined> {
    return (await this.beginAttempts([id], maxAttempts)).get(id);
  }

  /**
   * `beginAttempt` for several memes in one statement (a worker's jobs that arrived
   * together). Resolves to the memes whose attempt began; the others are unknown, settled
   * or out of attempts. The ids must be distinct: a meme named twice would be counted once.
   */
  async beginAttempts(ids: readonly string[], maxAttempts: number): Promise<Map<string, Meme>> {
    if (ids.length === 0) return new Map();
    const result = await this.db.query<MemeRow>(beginAttemptsSql(1), [ids, maxAttempts]);
    return new Map(result.rows.map((row) => [row.id, toMeme(row)]));
  }

  /**
   * `markDone` for several memes in one statement (a worker's jobs that finished together).
   * Resolves to the memes it marked done; the others were settled meanwhile. The ids must
   * be distinct: of two results for one meme, only one would be written and both would
   * look written.
   */
  async markManyDone(results: readonly RenderedMeme[]): Promise<Map<string, Meme>> {
    if (results.length === 0) return new Map();
    const updated = await this.db.query<MemeRow>(markDoneSql(1), renderedParams(results));
    return new Map(updated.rows.map((row) => [row.id, toMeme(row)]));
  }

  /**
   * `beginAttempts` and `markManyDone` in one statement, for a worker whose jobs reach both
   * steps at about the same time: one round trip and one commit instead of two. Resolves to
   * each meme whose attempt began or that was marked done. No id may be in both lists, nor
   * twice in one: one statement cannot change a row twice.
   */
  async beginAttemptsAndMarkDone(
    begin: readonly string[],
    done: readonly RenderedMeme[],
    maxAttempts: number,
  ): Promise<Map<string, Meme>> {
    if (done.length === 0) return this.beginAttempts(begin, maxAttempts);
    if (begin.length === 0) return this.markManyDone(done);
    const result = await this.db.query<MemeRow>(
      `WITH begun AS (${beginAttemptsSql(1)}), finished AS (${markDoneSql(3)})
       SELECT ${MEME_COLUMNS} FROM begun UNION ALL SELECT ${MEME_COLUMNS} FROM finished`,
      [begin, maxAttempts, ...renderedParams(done)],
    );
    return new Map(result.rows.map((row) => [row.id, toMeme(row)]));
  }

  /**
   * Marks the meme done and returns it as stored; undefined (a no-op) when it was settled
   * meanwhile (done by a duplicate delivery, or failed: a failed meme stays failed until asked for again).
   */
  async markDone(id: string, result: Omit<RenderedMeme, 'id'>): Promise<Meme | undefined> {
    return (await this.markManyDone([{ id, ...result }])).get(id);
  }

  async markFailed(id: string, reason: string): Promise<boolean> {
    const updated = await this.db.query(
      `UPDATE memes SET status = 'failed', failure_reason = $2 WHERE id = $1 AND status = 'queued'`,
      [id, reason.slice(0, 1000)],
    );
    return updated.rowCount > 0;
  }

  /**
   * Claims memes whose job is not provably in the broker: queued, never confirmed as
   * published, and not claimed by a publisher since `claimedBefore` (its publisher died or
   * gave up). The claim moves to now, so concurrent sweepers in several API replicas do not
   * publish the same rows; SKIP LOCKED lets them share the work without waiting on each other.
   * Rows safely queued in the broker are never claimed, however long they wait there.
   */
  async claimUnpublished(claim: UnpublishedClaim): Promise<Array<{ id: string; correlationId: string | null }>> {
    const result = await this.db.query<{ id: string; correlation_id: string | null }>(
      `UPDATE memes SET publish_claimed_at = now(), publish_claimed_by = $3, published_at = NULL
       WHERE id IN (
         SELECT id FROM memes
         WHERE status = 'queued'
           AND ((published_at IS NULL
                 AND (coalesce(publish_claimed_at, created_at) < $1
                      OR (publish_claimed_by = $3 AND publish_claimed_at < $4)))
                OR ($5 AND published_at < $4))
         ORDER BY created_at
         LIMIT $2
         FOR UPDATE SKIP LOCKED
       )
       RETURNING id, correlation_id`,
      [
        claim.claimedBefore,
        claim.limit,
        claim.claimer,
        claim.startedAt ?? claim.claimedBefore,
        claim.includePublishedBeforeStart === true && claim.startedAt !== undefined,
      ],
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
            `SELECT ${MEME_COLUMNS} FROM memes WHERE status = 'done' ORDER BY rendered_at DESC, id DESC LIMIT $1`,
            [limit],
          )
        : await this.db.query<MemeRow>(
            `SELECT ${MEME_COLUMNS} FROM memes WHERE status = 'done' AND (rendered_at, id) < ($2, $3)
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
