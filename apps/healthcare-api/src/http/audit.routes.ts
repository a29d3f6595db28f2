import type { AuditService } from '@memelab/clinic';
import { parseRequestPart } from '@memelab/platform';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

const auditQuery = z.strictObject({
  resourceType: z.enum(['Patient', 'Practitioner', 'Appointment']).optional(),
  resourceId: z.uuid().optional(),
  actor: z
    .string()
    .regex(/^[0-9a-f]{16}$/, 'must be an API key id')
    .optional(),
  _count: z.coerce.number().int().min(1).max(500).default(100),
  _cursor: z.string().max(200).optional(),
});

/** `GET /audit`: the audit trail, oldest first, for admins. */
export const registerAuditRoutes = (app: FastifyInstance, audit: AuditService): void => {
  app.get('/audit', { config: { role: 'admin' } }, async (request) => {
    const query = parseRequestPart(auditQuery, request.query, 'INVALID_QUERY');
    const page = await audit.list({ ...query, count: query._count, cursor: query._cursor });
    return { events: page.events, ...(page.next === undefined ? {} : { next: page.next }) };
  });
};
