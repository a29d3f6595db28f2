import { type Template, templateIdSchema } from '@memelab/core';
import type { TemplateOrigin, TemplateService } from '@memelab/pipeline';
import { parseRequestPart } from '@memelab/platform';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { adminKeyGuard } from '../http/admin-key.ts';
import { readUpload } from '../http/multipart-upload.ts';
import type { CustomTemplateService } from './custom-template.service.ts';

const idParams = z.object({ id: templateIdSchema });
const searchQuery = z.object({
  q: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const presentTemplate = (template: Template, origin: TemplateOrigin) => ({
  ...template,
  origin,
  links: { self: `/api/templates/${template.id}`, image: `/api/templates/${template.id}/image` },
});

export const registerTemplateRoutes = (
  app: FastifyInstance,
  deps: {
    templates: TemplateService;
    custom: CustomTemplateService;
    adminKey: string | undefined;
    writeRateLimit: { max: number; timeWindow: number };
  },
): void => {
  const { templates, custom } = deps;
  // Checked in onRequest, before content-type parsing and body reading (see adminKeyGuard).
  const adminWrite = () => ({ onRequest: adminKeyGuard(deps.adminKey), config: { rateLimit: deps.writeRateLimit } });

  app.get('/api/templates', async (request) => {
    const { q, limit, offset } = parseRequestPart(searchQuery, request.query, 'INVALID_QUERY');
    const { total, items } = await templates.search({ ...(q === undefined ? {} : { query: q }), limit, offset });
    return { total, limit, offset, items: items.map(({ template, origin }) => presentTemplate(template, origin)) };
  });

  app.get('/api/templates/:id', async (request) => {
    const { id } = parseRequestPart(idParams, request.params, 'INVALID_PATH');
    const resolved = await templates.get(id);
    return presentTemplate(resolved.template, resolved.origin);
  });

  app.get('/api/templates/:id/image', async (request, reply) => {
    const { id } = parseRequestPart(idParams, request.params, 'INVALID_PATH');
    const resolved = await templates.get(id);
    const etag = `"${Buffer.from(resolved.imageVersion).toString('base64url')}"`;
    reply.header('etag', etag).header('cache-control', 'public, max-age=3600');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    const { body, size } = await resolved.openImage();
    return reply.header('content-type', resolved.contentType).header('content-length', size).send(body);
  });

  app.post('/api/templates', adminWrite(), async (request, reply) => {
    const upload = await readUpload(request);
    const template = await custom.create(upload.fields.config, upload.file);
    return reply
      .code(201)
      .header('location', `/api/templates/${template.id}`)
      .send(presentTemplate(template, 'custom'));
  });

  app.delete('/api/templates/:id', adminWrite(), async (request, reply) => {
    const { id } = parseRequestPart(idParams, request.params, 'INVALID_PATH');
    await custom.delete(id);
    return reply.code(204).send();
  });
};
