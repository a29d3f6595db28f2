import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ObjectStore } from '@memelab/adapters';
import type { TemplateRepository, TemplateService } from '@memelab/pipeline';
import { createLogger, createMetricsRegistry } from '@memelab/platform';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomTemplateService } from '../templates/custom-template.service.ts';
import { registerTemplateRoutes } from '../templates/template.routes.ts';
import { createApiMetrics } from './api.metrics.ts';
import { createHttpServer } from './http-server.ts';

const ADMIN_KEY = 'write-order-admin-key-0123456789';

/** Any use of a backend means the request got past the checks that must stop it. */
const backendsTouched: string[] = [];
const untouchable = <T extends object>(name: string): T =>
  new Proxy({} as T, {
    get: (_target, property) => {
      backendsTouched.push(`${name}.${String(property)}`);
      throw new Error(`${name}.${String(property)} must not be reached`);
    },
  });

let app: FastifyInstance;
let baseUrl: string;

beforeAll(async () => {
  const logger = createLogger({ name: 'write-auth-order-test', level: 'silent' });
  const metrics = createApiMetrics(createMetricsRegistry(), async () => ({ render: 0, dead: 0 }));
  app = await createHttpServer({ logger, metrics, bodyLimitBytes: 64 * 1024, trustProxy: false });
  const templates = untouchable<TemplateService>('templates');
  registerTemplateRoutes(app, {
    templates,
    custom: new CustomTemplateService(
      templates,
      untouchable<TemplateRepository>('repository'),
      untouchable<ObjectStore>('store'),
    ),
    adminKey: ADMIN_KEY,
    writeRateLimit: { max: 1_000, timeWindow: 60_000 },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await app.close();
  expect(backendsTouched).toEqual([]);
});

const problemOf = async (response: Response) => ({
  status: response.status,
  code: ((await response.json()) as { code?: string }).code,
});

const form = (parts: Record<string, string | Blob>): FormData => {
  const body = new FormData();
  for (const [name, value] of Object.entries(parts)) body.append(name, value);
  return body;
};

const wrongKey = { 'x-api-key': 'not-the-admin-key-at-all-000000' };
const rightKey = { 'x-api-key': ADMIN_KEY };

interface ProtectedRoute {
  readonly name: string;
  readonly method: 'POST' | 'DELETE';
  readonly path: string;
  /** Bodies that are wrong in kind; sent with the right key they get these 4xx codes. */
  readonly badBodies: ReadonlyArray<{
    readonly what: string;
    readonly init: () => RequestInit;
    readonly path?: string;
    readonly status: number;
    readonly code: string;
  }>;
}

const routes: ProtectedRoute[] = [
  {
    name: 'POST /api/templates',
    method: 'POST',
    path: '/api/templates',
    badBodies: [
      {
        what: 'a text/plain body',
        init: () => ({ headers: { 'content-type': 'text/plain' }, body: 'not an upload' }),
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
      },
      {
        what: 'a JSON body instead of a form',
        init: () => ({ headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' }),
        status: 415,
        code: 'MULTIPART_REQUIRED',
      },
      {
        what: 'a form without the image file',
        init: () => ({ body: form({ config: '{"name":"No Image"}' }) }),
        status: 400,
        code: 'IMAGE_REQUIRED',
      },
      {
        what: 'a file under the wrong field name',
        init: () => ({ body: form({ picture: new Blob([new Uint8Array(16)], { type: 'image/png' }) }) }),
        status: 400,
        code: 'UNEXPECTED_FILE',
      },
    ],
  },
  {
    name: 'DELETE /api/templates/:id',
    method: 'DELETE',
    path: '/api/templates/some-template',
    badBodies: [
      {
        what: 'a text/plain body',
        init: () => ({ headers: { 'content-type': 'text/plain' }, body: 'why a body' }),
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
      },
      {
        what: 'an invalid template id',
        init: () => ({}),
        path: '/api/templates/NOT_VALID',
        status: 400,
        code: 'INVALID_PATH',
      },
    ],
  },
];

describe.each(routes)('$name checks the caller before the body', (route) => {
  const send = (headers: Record<string, string>, init: RequestInit, path = route.path) =>
    fetch(`${baseUrl}${path}`, {
      ...init,
      method: route.method,
      headers: { ...(init.headers as Record<string, string> | undefined), ...headers },
    });

  it.each(route.badBodies)('answers 401 ADMIN_KEY_REQUIRED without a key, even for $what', async (bad) => {
    expect(await problemOf(await send({}, bad.init(), bad.path))).toEqual({
      status: 401,
      code: 'ADMIN_KEY_REQUIRED',
    });
  });

  it.each(route.badBodies)('answers 403 ADMIN_KEY_INVALID with a wrong key, even for $what', async (bad) => {
    expect(await problemOf(await send(wrongKey, bad.init(), bad.path))).toEqual({
      status: 403,
      code: 'ADMIN_KEY_INVALID',
    });
  });

  it('answers 403 for a wrong bearer token too', async () => {
    const response = await send({ authorization: 'Bearer not-the-admin-key-at-all-000000' }, {});
    expect(await problemOf(response)).toEqual({ status: 403, code: 'ADMIN_KEY_INVALID' });
  });

  it.each(route.badBodies)('judges the body only with the right key: $what gets $status $code', async (bad) => {
    expect(await problemOf(await send(rightKey, bad.init(), bad.path))).toEqual({
      status: bad.status,
      code: bad.code,
    });
  });

  it.each([
    { kind: 'multipart', contentType: 'multipart/form-data; boundary=x', start: '--x\r\n' },
    { kind: 'JSON', contentType: 'application/json', start: '{"name":' },
  ])('refuses an unauthenticated $kind body before the body arrives', async ({ contentType, start }) => {
    // The headers promise a body (under the size limit), a few bytes are sent and the rest
    // never comes: an answer can only arrive if the server decided without reading it.
    const request = httpRequest(`${baseUrl}${route.path}`, {
      method: route.method,
      headers: { 'content-type': contentType, 'content-length': String(60 * 1024) },
    });
    try {
      const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no answer while the body was still pending')), 3_000);
        request.on('response', (incoming) => {
          let body = '';
          incoming.setEncoding('utf8');
          incoming.on('data', (chunk: string) => {
            body += chunk;
          });
          incoming.on('end', () => {
            clearTimeout(timer);
            resolve({ status: incoming.statusCode ?? 0, body });
          });
        });
        request.on('error', reject);
        request.write(start);
      });
      expect(response.status).toBe(401);
      expect(JSON.parse(response.body)).toMatchObject({ code: 'ADMIN_KEY_REQUIRED' });
    } finally {
      request.destroy();
    }
  });
});

describe('with no ADMIN_API_KEY configured', () => {
  it('refuses writes with 403 ADMIN_DISABLED before judging the body', async () => {
    const logger = createLogger({ name: 'write-auth-order-test', level: 'silent' });
    const metrics = createApiMetrics(createMetricsRegistry(), async () => ({ render: 0, dead: 0 }));
    const disabled = await createHttpServer({ logger, metrics, bodyLimitBytes: 64 * 1024, trustProxy: false });
    const templates = untouchable<TemplateService>('templates');
    registerTemplateRoutes(disabled, {
      templates,
      custom: untouchable<CustomTemplateService>('custom'),
      adminKey: undefined,
      writeRateLimit: { max: 1_000, timeWindow: 60_000 },
    });
    try {
      const response = await disabled.inject({
        method: 'POST',
        url: '/api/templates',
        headers: { 'content-type': 'text/plain', ...rightKey },
        payload: 'x',
      });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'ADMIN_DISABLED' });
    } finally {
      await disabled.close();
    }
  });
});
