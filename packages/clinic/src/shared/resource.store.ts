import type { SqlExecutor } from '@memelab/adapters';
import type { AccessContext } from '../access/access-context.ts';
import { clinicErrors } from '../clinic.errors.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

export type ResourceType = 'Patient' | 'Practitioner' | 'Appointment';

export interface ResourceRow {
  readonly id: string;
  readonly seq: number;
  readonly version_id: number;
  readonly last_updated: Date;
  readonly deleted_at: Date | null;
  readonly resource: Record<string, unknown>;
}

/** A column a resource type copies out of its body, with its SQL type for the bound value. */
export interface Column {
  readonly name: string;
  readonly type: string;
  readonly value: unknown;
}

/** An extra data-modifying step run in the same statement as an insert (it sees `created`). */
export interface InsertStep {
  readonly sql: (param: (value: unknown) => string) => string;
}

export interface SearchFilter {
  /** A condition on the table's columns; `param` binds a value and returns its placeholder. */
  readonly where: (param: (value: unknown) => string) => string;
}

export interface Page {
  readonly rows: ResourceRow[];
  readonly next: string | undefined;
}

// Named, never `*`: a statement prepared with `*` fails once a migration adds a column.
const RETURNING = 'id, seq, version_id, last_updated, deleted_at, resource';

/**
 * The storage every resource type shares: one table per type with the same bookkeeping
 * columns (id, seq, version_id, last_updated, deleted_at, resource). Every read and write
 * appends its audit row in the same statement or transaction as the access itself, so
 * nothing is disclosed or changed without a trace. Identifiers in table and column names
 * come from code, never from requests; every value is a bound parameter.
 */
export class ResourceStore {
  constructor(
    readonly table: 'patient' | 'practitioner' | 'appointment',
    readonly resourceType: ResourceType,
  ) {}

  /**
   * Inserts a resource and its audit row in one statement. With a `guard`, the row is only
   * inserted when the guard holds (referenced records exist); undefined is returned otherwise.
   */
  async create(
    db: SqlExecutor,
    access: AccessContext,
    columns: readonly Column[],
    resource: Record<string, unknown>,
    options: { guard?: SearchFilter; steps?: readonly InsertStep[] } = {},
  ): Promise<ResourceRow | undefined> {
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const names = [...columns.map((column) => column.name), 'resource'];
    const values = [...columns.map((column) => `${param(column.value)}::${column.type}`), `${param(resource)}::jsonb`];
    const guard = options.guard === undefined ? '' : ` WHERE ${options.guard.where(param)}`;
    const steps = (options.steps ?? []).map((step, index) => `, step${index} AS (${step.sql(param)})`).join('');
    const sql = `WITH created AS (
        INSERT INTO ${this.table} (${names.join(', ')}) SELECT ${values.join(', ')}${guard} RETURNING ${RETURNING}
      )${steps}, logged AS (${this.auditInsert(param, access, 'create', 'created', 'ARRAY(SELECT jsonb_object_keys(resource) ORDER BY 1)')})
      SELECT ${RETURNING} FROM created`;
    const { rows } = await db.query<ResourceRow>(sql, params);
    return rows[0];
  }

  /**
   * Reads several resources at once, live or deleted, for several requests: one statement
   * and one commit for all of them. Each request's disclosure of a live resource is audited
   * in the same statement, with its own caller and request id. Resolves to the rows by id.
   */
  async readMany(
    db: SqlExecutor,
    reads: ReadonlyArray<{ readonly access: AccessContext; readonly id: string }>,
  ): Promise<Map<string, ResourceRow>> {
    const sql = `WITH wanted AS (
        SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS w(id, actor_key_id, actor_role, request_id)
      ),
      found AS (SELECT ${RETURNING} FROM ${this.table} WHERE id = ANY ($1::uuid[])),
      logged AS (
        INSERT INTO audit_event (actor_key_id, actor_role, action, resource_type, resource_id, fields, request_id)
        SELECT w.actor_key_id, w.actor_role, 'read', $5, f.id, ARRAY(SELECT jsonb_object_keys(f.resource) ORDER BY 1), w.request_id
        FROM wanted w JOIN found f ON f.id = w.id WHERE f.deleted_at IS NULL
      )
      SELECT ${RETURNING} FROM found`;
    const { rows } = await db.query<ResourceRow>(sql, [
      reads.map((read) => read.id),
      reads.map((read) => read.access.keyId),
      reads.map((read) => read.access.role),
      reads.map((read) => read.access.requestId),
      this.resourceType,
    ]);
    // PostgreSQL answers ids in lower case, whatever case they were asked in.
    return new Map(rows.map((row) => [row.id.toLowerCase(), row]));
  }

  /** A page of live resources matching every filter, in a stable order; the search is audited with what it disclosed. */
  async search(
    db: SqlExecutor,
    access: AccessContext,
    filters: readonly SearchFilter[],
    options: { readonly count: number; readonly cursor?: string; readonly filterNames: readonly string[] },
  ): Promise<Page> {
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const conditions = ['deleted_at IS NULL', ...filters.map((filter) => `(${filter.where(param)})`)];
    if (options.cursor !== undefined)
      conditions.push(`seq > ${param(decodeCursor(options.cursor).toString())}::bigint`);
    const limit = param(options.count + 1);
    const sql = `WITH found AS (
        SELECT ${RETURNING} FROM ${this.table} WHERE ${conditions.join(' AND ')} ORDER BY seq LIMIT ${limit}
      ),
      page AS (SELECT id FROM found ORDER BY seq LIMIT ${param(options.count)}),
      logged AS (
        INSERT INTO audit_event (actor_key_id, actor_role, action, resource_type, resource_ids, fields, request_id)
        SELECT ${param(access.keyId)}, ${param(access.role)}, 'search', ${param(this.resourceType)},
               COALESCE(array_agg(id), '{}'), ${param(options.filterNames)}::text[], ${param(access.requestId)}
        FROM page
      )
      SELECT ${RETURNING} FROM found ORDER BY seq`;
    const { rows } = await db.query<ResourceRow>(sql, params);
    const page = rows.slice(0, options.count);
    const last = page.at(-1);
    return { rows: page, next: rows.length > options.count && last !== undefined ? encodeCursor(last.seq) : undefined };
  }

  /** Inside a transaction: the current row, locked until commit, so concurrent writers take turns. */
  async lock(tx: SqlExecutor, id: string): Promise<ResourceRow> {
    const { rows } = await tx.query<ResourceRow>(`SELECT ${RETURNING} FROM ${this.table} WHERE id = $1 FOR UPDATE`, [
      id,
    ]);
    return this.live(rows[0], id);
  }

  async update(
    tx: SqlExecutor,
    id: string,
    columns: readonly Column[],
    resource: Record<string, unknown>,
  ): Promise<ResourceRow> {
    const params: unknown[] = [id];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const sets = [
      ...columns.map((column) => `${column.name} = ${param(column.value)}::${column.type}`),
      `resource = ${param(resource)}::jsonb`,
      'version_id = version_id + 1',
      'last_updated = now()',
    ];
    const { rows } = await tx.query<ResourceRow>(
      `UPDATE ${this.table} SET ${sets.join(', ')} WHERE id = $1 AND deleted_at IS NULL RETURNING ${RETURNING}`,
      params,
    );
    return this.live(rows[0], id);
  }

  async softDelete(tx: SqlExecutor, id: string): Promise<ResourceRow> {
    const { rows } = await tx.query<ResourceRow>(
      `UPDATE ${this.table} SET deleted_at = now(), version_id = version_id + 1, last_updated = now()
       WHERE id = $1 AND deleted_at IS NULL RETURNING ${RETURNING}`,
      [id],
    );
    if (rows[0] === undefined) throw clinicErrors.notFound(this.resourceType, id);
    return rows[0];
  }

  async audit(
    tx: SqlExecutor,
    access: AccessContext,
    action: 'update' | 'patch' | 'delete',
    id: string,
    fields: readonly string[],
  ): Promise<void> {
    await tx.query(
      `INSERT INTO audit_event (actor_key_id, actor_role, action, resource_type, resource_id, fields, request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [access.keyId, access.role, action, this.resourceType, id, fields, access.requestId],
    );
  }

  private auditInsert(
    param: (value: unknown) => string,
    access: AccessContext,
    action: 'create' | 'read',
    source: string,
    fields: string,
    where = '',
  ): string {
    return `INSERT INTO audit_event (actor_key_id, actor_role, action, resource_type, resource_id, fields, request_id)
      SELECT ${param(access.keyId)}, ${param(access.role)}, '${action}', ${param(this.resourceType)}, id, ${fields}, ${param(access.requestId)}
      FROM ${source} ${where}`;
  }

  /** The row, or the client's 404 (none) or 410 (deleted). */
  live(row: ResourceRow | undefined, id: string): ResourceRow {
    if (row === undefined) throw clinicErrors.notFound(this.resourceType, id);
    if (row.deleted_at !== null) throw clinicErrors.deleted(this.resourceType, id);
    return row;
  }
}
