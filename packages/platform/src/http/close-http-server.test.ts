import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { closeHttpServer } from './close-http-server.ts';

describe('closeHttpServer', () => {
  it('cuts a request still in flight once the drain time is over', async () => {
    const app = Fastify();
    app.get('/never', () => new Promise(() => {}));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.addresses()[0];
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const inFlight = fetch(`http://127.0.0.1:${port}/never`).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await closeHttpServer(app, 200);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await inFlight).toBeInstanceOf(Error);
  });

  it('returns as soon as the server is idle', async () => {
    const app = Fastify();
    app.get('/ok', async () => ({ ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const started = Date.now();
    await closeHttpServer(app, 10_000);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
