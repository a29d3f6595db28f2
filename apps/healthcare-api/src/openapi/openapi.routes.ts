import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { buildOpenApiDocument } from './openapi.document.ts';

/** `/openapi.json` and a readable docs page at `/docs` (Swagger UI, served locally). */
export const registerOpenApiRoutes = async (app: FastifyInstance): Promise<void> => {
  const document = buildOpenApiDocument();
  // The plugin's types describe OpenAPI 3.0; this document is 3.1.
  await app.register(swagger, { mode: 'static', specification: { document: document as never } });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true } });
  app.get('/openapi.json', async () => document);
};
