import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { buildOpenApiDocument } from './openapi.document.ts';

/** `/api/openapi.json` and a readable docs page at `/api/docs` (Swagger UI, served locally). */
export const registerOpenApiRoutes = async (app: FastifyInstance): Promise<void> => {
  const document = buildOpenApiDocument();
  // The plugin's types describe OpenAPI 3.0; this document is 3.1 (type arrays for nullables).
  await app.register(swagger, { mode: 'static', specification: { document: document as never } });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { deepLinking: true } });
  app.get('/api/openapi.json', async () => document);
};
