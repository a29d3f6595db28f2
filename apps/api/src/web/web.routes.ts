import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { PLACEHOLDER_PAGE } from './placeholder-page.ts';

/**
 * Serves the web UI's static files in embedded mode (nginx serves them in the containers).
 * Hashed assets are cached for a year; index.html is revalidated on every load so a new
 * release shows at once.
 */
export const registerWebRoutes = async (app: FastifyInstance, webDir: string | undefined): Promise<void> => {
  if (webDir === undefined || !existsSync(join(webDir, 'index.html'))) {
    app.get('/', async (_request, reply) =>
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(PLACEHOLDER_PAGE),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: webDir,
    wildcard: false,
    index: ['index.html'],
    setHeaders: (reply, path) => {
      reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
};
