import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Readiness } from '../lifecycle/readiness.ts';

/** `/healthz`: the process answers. `/readyz`: it can serve. `/metrics`: Prometheus text. */
export const registerHealthRoutes = (app: FastifyInstance, deps: { readiness: Readiness; metrics: Registry }): void => {
  app.get('/healthz', async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const report = await deps.readiness.report();
    return reply
      .code(report.ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .send(report);
  });

  app.get('/metrics', async (_request, reply) =>
    reply.header('content-type', deps.metrics.contentType).send(await deps.metrics.metrics()),
  );
};
