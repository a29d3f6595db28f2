import type { Database } from '@memelab/adapters';
import { decodeCursor, encodeCursor } from '../shared/cursor.ts';

export interface AuditEvent {
  readonly id: number;
  readonly at: string;
  readonly actorKeyId: string;
  readonly actorRole: string;
  readonly action: string;
  readonly resourceType: string;
  readonly resourceId: string | null;
  readonly resourceIds: string[] | null;
  readonly fields: string[];
  readonly requestId: string;
}

export interface AuditQuery {
  readonly resourceType?: string | undefined;
  readonly resourceId?: string | undefined;
  readonly actor?: string | undefined;
  readonly count: number;
  readonly cursor?: string | undefined;
}

interface AuditRow {
  id: number;
  at: Date;
  actor_key_id: string;
  actor_role: string;
  action: string;
  resource_type: string;
  resource_id: string | null;
  resource_ids: string[] | null;
  fields: string[];
  request_id: string;
}

/** Reads the append-only audit trail, oldest first, a page at a time. */
export class AuditService {
  constructor(private readonly db: Database) {}

  async list(query: AuditQuery): Promise<{ events: AuditEvent[]; next: string | undefined }> {
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const conditions = ['true'];
    if (query.resourceType !== undefined) conditions.push(`resource_type = ${param(query.resourceType)}`);
    if (query.resourceId !== undefined) {
      const id = param(query.resourceId);
      conditions.push(`(resource_id = ${id}::uuid OR ${id}::uuid = ANY (resource_ids))`);
    }
    if (query.actor !== undefined) conditions.push(`actor_key_id = ${param(query.actor)}`);
    if (query.cursor !== undefined) conditions.push(`id > ${param(decodeCursor(query.cursor).toString())}::bigint`);
    const { rows } = await this.db.query<AuditRow>(
      `SELECT id, at, actor_key_id, actor_role, action, resource_type, resource_id, resource_ids, fields, request_id
       FROM audit_event WHERE ${conditions.join(' AND ')} ORDER BY id LIMIT ${param(query.count + 1)}`,
      params,
    );
    const page = rows.slice(0, query.count);
    const last = page.at(-1);
    return {
      events: page.map((row) => ({
        id: Number(row.id),
        at: new Date(row.at).toISOString(),
        actorKeyId: row.actor_key_id,
        actorRole: row.actor_role,
        action: row.action,
        resourceType: row.resource_type,
        resourceId: row.resource_id,
        resourceIds: row.resource_ids,
        fields: row.fields,
        requestId: row.request_id,
      })),
      next: rows.length > query.count && last !== undefined ? encodeCursor(last.id) : undefined,
    };
  }
}
