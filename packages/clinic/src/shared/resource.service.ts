import { setTimeout } from 'node:timers/promises';
import { type Database, type SqlExecutor, StatementBatcher } from '@memelab/adapters';
import { toValidationIssues } from '@memelab/core';
import type { Resource } from 'fhir/r4';
import type { z } from 'zod';
import type { AccessContext } from '../access/access-context.ts';
import { clinicErrors } from '../clinic.errors.ts';
import { applyMergePatch, changedFields } from './merge-patch.ts';
import type { Column, InsertStep, ResourceRow, ResourceStore, SearchFilter } from './resource.store.ts';

/** Deadlock detected, serialization failure: the transaction was rolled back whole and may be run again. */
const RETRYABLE_SQLSTATES = new Set(['40P01', '40001']);
const WRITE_ATTEMPTS = 3;
const RETRY_BASE_MS = 5;

const isRetryableConflict = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && RETRYABLE_SQLSTATES.has(String((error as { code?: unknown }).code));

const READ_BATCH = 64;
const READS_IN_FLIGHT = 2;

interface ReadRequest {
  readonly access: AccessContext;
  /** In lower case, as PostgreSQL answers it. */
  readonly id: string;
}

/** A page of search results with the cursor of the next page, if any. */
export interface SearchResult<R> {
  readonly resources: R[];
  readonly next: string | undefined;
}

export interface PageRequest {
  readonly count: number;
  readonly cursor?: string | undefined;
}

/** How one resource type validates its body and what it copies into columns. */
export interface ResourceDefinition<Body extends Record<string, unknown>> {
  readonly schema: z.ZodType<Body & { resourceType?: string; id?: string; meta?: unknown }>;
  readonly columns: (body: Body) => Column[];
  /** Statements run with an insert (e.g. claiming identifiers). */
  readonly insertSteps?: (body: Body) => InsertStep[];
  /** Checks run in the write transaction before the row changes (e.g. identifiers, references). */
  readonly beforeWrite?: (tx: SqlExecutor, id: string, body: Body) => Promise<void>;
  /** Run after a soft delete in the same transaction (e.g. releasing identifiers). */
  readonly afterDelete?: (tx: SqlExecutor, id: string) => Promise<void>;
  /** Turns a database error into the client's problem (constraint violations). */
  readonly translateError?: (error: unknown) => unknown;
}

/**
 * Create, read, update (full and partial), delete and search for one resource type, with
 * optimistic concurrency: every write names the version it read (If-Match), and a stale one
 * is refused with 412 instead of overwriting someone else's change.
 */
export class ResourceService<Body extends Record<string, unknown>, R extends Resource> {
  /**
   * Reads by id that arrive together share one statement and one commit: every read
   * appends an audit row, so each would otherwise wait for its own flush of the WAL.
   */
  private readonly reads: StatementBatcher<ReadRequest, ResourceRow>;

  constructor(
    protected readonly db: Database,
    protected readonly store: ResourceStore,
    protected readonly definition: ResourceDefinition<Body>,
  ) {
    this.reads = new StatementBatcher(
      (requests) => this.store.readMany(this.db, requests),
      (request) => request.id,
      { maxBatch: READ_BATCH, maxInFlight: READS_IN_FLIGHT },
    );
  }

  get resourceType(): string {
    return this.store.resourceType;
  }

  parse(input: unknown, pathId?: string): Body {
    const result = this.definition.schema.safeParse(input);
    if (!result.success) throw clinicErrors.invalidResource(toValidationIssues(result.error));
    const { resourceType: _type, id, meta: _meta, ...body } = result.data;
    if (id !== undefined && id !== pathId)
      throw clinicErrors.idMismatch(pathId ?? '(none: ids are assigned on create)');
    return body as unknown as Body;
  }

  async create(access: AccessContext, input: unknown, guard?: SearchFilter): Promise<R> {
    const body = this.parse(input);
    const row = await this.translate(() =>
      this.store.create(this.db, access, this.definition.columns(body), body, {
        ...(guard === undefined ? {} : { guard }),
        steps: this.definition.insertSteps?.(body) ?? [],
      }),
    );
    if (row === undefined) throw this.missingReference(body);
    return this.present(row);
  }

  async read(access: AccessContext, id: string): Promise<R> {
    const key = id.toLowerCase();
    return this.present(this.store.live(await this.reads.submit({ access, id: key }), id));
  }

  protected async searchWith(
    access: AccessContext,
    filters: readonly SearchFilter[],
    filterNames: readonly string[],
    page: PageRequest,
  ): Promise<SearchResult<R>> {
    const result = await this.store.search(this.db, access, filters, {
      count: page.count,
      filterNames,
      ...(page.cursor === undefined ? {} : { cursor: page.cursor }),
    });
    return { resources: result.rows.map((row) => this.present(row)), next: result.next };
  }

  /** Replaces the resource (PUT). */
  update(access: AccessContext, id: string, input: unknown, ifMatch: number | undefined): Promise<R> {
    const body = this.parse(input, id);
    return this.write(access, id, ifMatch, 'update', () => body);
  }

  /** Applies a JSON Merge Patch and validates the result as a whole resource (PATCH). */
  patch(access: AccessContext, id: string, patch: unknown, ifMatch: number | undefined): Promise<R> {
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
      throw clinicErrors.invalidResource([{ path: '', message: 'a merge patch must be a JSON object' }]);
    }
    return this.write(access, id, ifMatch, 'patch', (current) => this.parse(applyMergePatch(current, patch), id));
  }

  async delete(access: AccessContext, id: string, ifMatch: number | undefined): Promise<void> {
    await this.db.transaction(async (tx) => {
      const current = await this.store.lock(tx, id);
      this.checkVersion(current, ifMatch);
      await this.store.softDelete(tx, id);
      await this.definition.afterDelete?.(tx, id);
      await this.store.audit(tx, access, 'delete', id, []);
    });
  }

  protected async write(
    access: AccessContext,
    id: string,
    ifMatch: number | undefined,
    action: 'update' | 'patch',
    next: (current: Record<string, unknown>) => Body,
  ): Promise<R> {
    const row = await this.translate(() =>
      this.db.transaction(async (tx) => {
        const current = await this.store.lock(tx, id);
        this.checkVersion(current, ifMatch);
        const body = next(current.resource);
        const fields = changedFields(current.resource, body);
        await this.definition.beforeWrite?.(tx, id, body);
        const updated = await this.store.update(tx, id, this.definition.columns(body), body);
        await this.store.audit(tx, access, action, id, fields);
        return updated;
      }),
    );
    return this.present(row);
  }

  protected checkVersion(current: ResourceRow, ifMatch: number | undefined): void {
    if (ifMatch !== undefined && ifMatch !== current.version_id) {
      throw clinicErrors.versionMismatch(this.store.resourceType, current.id, current.version_id);
    }
  }

  protected missingReference(_body: Body): unknown {
    return new Error(`${this.store.resourceType} insert guard failed without a reason`);
  }

  /**
   * Runs one write (a statement or a whole transaction) and turns its database error into
   * the client's problem. A write PostgreSQL rolled back as a deadlock or serialization
   * victim is run again: concurrent inserts checked by one exclusion constraint (bookings of
   * one slot) can deadlock, and the retry then meets the winner's row as a plain conflict.
   */
  protected async translate<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (attempt < WRITE_ATTEMPTS && isRetryableConflict(error)) {
          await setTimeout(RETRY_BASE_MS * attempt * (1 + Math.random()));
          continue;
        }
        throw this.definition.translateError?.(error) ?? error;
      }
    }
  }

  protected present(row: ResourceRow): R {
    return {
      resourceType: this.store.resourceType,
      id: row.id,
      meta: { versionId: String(row.version_id), lastUpdated: new Date(row.last_updated).toISOString() },
      ...row.resource,
    } as unknown as R;
  }
}

/** The SQLSTATE and constraint of a database error, whichever driver raised it. */
export const sqlError = (error: unknown): { code?: string; constraint?: string } => {
  if (typeof error !== 'object' || error === null) return {};
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  return {
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof constraint === 'string' ? { constraint } : {}),
  };
};
