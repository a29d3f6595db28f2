import { memeSpecSchema, templateSchema } from '@memelab/core';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

/** JSON Schema for OpenAPI 3.1 from the zod schemas the API validates with: one source of truth. */
const jsonSchemaOf = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const memeResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Meme' } } },
});

const idParameter = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});

const imageResponse = {
  description: 'The image, immutable: cache it forever.',
  headers: { ETag: { schema: { type: 'string' } }, 'Cache-Control': { schema: { type: 'string' } } },
  content: { 'image/png': {}, 'image/jpeg': {}, 'image/webp': {} },
};

const sse = (description: string) => ({
  description,
  content: { 'text/event-stream': { schema: { type: 'string' } } },
});

const adminSecurity = [{ apiKey: [] }, { bearer: [] }];

/** The OpenAPI 3.1 description of the HTTP API, served at /api/openapi.json. */
export const buildOpenApiDocument = () => ({
  openapi: '3.1.0',
  info: {
    title: 'memelab API',
    version: '0.1.0',
    description:
      'Meme-as-a-Service. Create a meme with POST /api/memes (identical specs share one id and one image), follow it with ' +
      'long-polling or server-sent events, and fetch the image from /m/{id}.{ext}. memegen.link URLs work under /images. ' +
      'Errors are RFC 9457 problem details with a stable `code`.',
    license: { name: 'MIT' },
  },
  servers: [{ url: '/' }],
  tags: [{ name: 'memes' }, { name: 'templates' }, { name: 'images' }, { name: 'operations' }],
  paths: {
    '/api/memes': {
      post: {
        tags: ['memes'],
        summary: 'Create a meme',
        description:
          'Validates the spec and queues the render. 202 while it renders; 200 when this exact meme exists already.',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/MemeSpec' } } },
        },
        responses: {
          200: memeResponse('The meme exists already and is rendered.'),
          202: memeResponse('Accepted: the meme is queued (or was queued before).'),
          400: problem('The body is not JSON.'),
          404: problem('The template or background does not exist.'),
          413: problem('The body is too large.'),
          415: problem('The body is not JSON.'),
          422: problem('The spec is not valid (every problem listed in `issues`).'),
          429: problem('Too many requests from this client.'),
        },
      },
      get: {
        tags: ['memes'],
        summary: 'Recent memes, newest first',
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 24 } },
          {
            name: 'cursor',
            in: 'query',
            schema: { type: 'string' },
            description: '`nextCursor` of the previous page.',
          },
        ],
        responses: {
          200: {
            description: 'A page of rendered memes.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    items: { type: 'array', items: { $ref: '#/components/schemas/Meme' } },
                    nextCursor: { type: ['string', 'null'] },
                  },
                },
              },
            },
          },
          400: problem('Bad limit or cursor.'),
        },
      },
    },
    '/api/memes/{id}': {
      get: {
        tags: ['memes'],
        summary: 'A meme and its status',
        parameters: [
          idParameter('id', 'The meme id.'),
          {
            name: 'wait',
            in: 'query',
            description: 'Long-poll: wait up to this many seconds (max 30) for the render to finish.',
            schema: { type: 'number', minimum: 0, maximum: 30 },
          },
        ],
        responses: { 200: memeResponse('The meme.'), 400: problem('Bad id or wait.'), 404: problem('No such meme.') },
      },
    },
    '/api/memes/{id}/events': {
      get: {
        tags: ['memes'],
        summary: 'Server-sent events for one meme',
        description: 'A `status` event now and at every change; the stream ends once the meme is done or failed.',
        parameters: [idParameter('id', 'The meme id.')],
        responses: { 200: sse('`event: status` with the meme as data.'), 404: problem('No such meme.') },
      },
    },
    '/api/events': {
      get: {
        tags: ['memes'],
        summary: 'Live feed of newly rendered memes',
        responses: { 200: sse('`event: meme` with the meme as data, for every meme rendered from now on.') },
      },
    },
    '/api/templates': {
      get: {
        tags: ['templates'],
        summary: 'List or search templates',
        parameters: [
          {
            name: 'q',
            in: 'query',
            description: 'Matches id, name and keywords; best matches first.',
            schema: { type: 'string' },
          },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 } },
          { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
        ],
        responses: {
          200: {
            description: 'A page of templates and the total count.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    total: { type: 'integer' },
                    items: { type: 'array', items: { $ref: '#/components/schemas/Template' } },
                  },
                },
              },
            },
          },
        },
      },
      post: {
        tags: ['templates'],
        summary: 'Add a custom template (admin)',
        security: adminSecurity,
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['config', 'image'],
                properties: {
                  config: {
                    type: 'string',
                    description: 'JSON: name, keywords, textBoxes, optional id, example and source.',
                  },
                  image: {
                    type: 'string',
                    format: 'binary',
                    description: 'PNG, JPEG, WebP or GIF; at most 10 MiB and 40 megapixels.',
                  },
                },
              },
            },
          },
        },
        responses: {
          201: {
            description: 'Created.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Template' } } },
          },
          400: problem('Missing config or image.'),
          401: problem('No admin key.'),
          403: problem('Wrong admin key, or administration disabled.'),
          409: problem('A template with this id exists.'),
          413: problem('The image is too large.'),
          415: problem('Not multipart, or not an image.'),
          422: problem('The config is not valid.'),
        },
      },
    },
    '/api/templates/{id}': {
      get: {
        tags: ['templates'],
        summary: 'One template',
        parameters: [idParameter('id', 'The template id.')],
        responses: {
          200: {
            description: 'The template.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Template' } } },
          },
          404: problem('No such template.'),
        },
      },
      delete: {
        tags: ['templates'],
        summary: 'Delete a custom template (admin)',
        security: adminSecurity,
        parameters: [idParameter('id', 'The template id.')],
        responses: {
          204: { description: 'Deleted.' },
          404: problem('No such template.'),
          409: problem('Bundled templates are read-only.'),
        },
      },
    },
    '/api/templates/{id}/image': {
      get: {
        tags: ['templates'],
        summary: 'A template’s background image',
        parameters: [idParameter('id', 'The template id.')],
        responses: {
          200: { description: 'The image.', content: { 'image/jpeg': {}, 'image/png': {} } },
          404: problem('No such template.'),
        },
      },
    },
    '/api/backgrounds': {
      post: {
        tags: ['memes'],
        summary: 'Upload a background of your own',
        description: 'Returns an id to use as `background` in a meme spec, with `boxes` for the text.',
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['image'],
                properties: { image: { type: 'string', format: 'binary' } },
              },
            },
          },
        },
        responses: {
          201: { description: 'Stored (or stored before).' },
          413: problem('Too large.'),
          415: problem('Not an image.'),
        },
      },
    },
    '/m/{file}': {
      get: {
        tags: ['images'],
        summary: 'A rendered meme image',
        description:
          'Answers `If-None-Match` with 304, and a single byte `Range` (honouring `If-Range`) with 206. ' +
          '`HEAD` gives the same headers without the bytes.',
        parameters: [idParameter('file', '`<meme id>.<png|jpg|webp>`')],
        responses: {
          200: imageResponse,
          206: { ...imageResponse, description: 'The requested byte range of the image (`Content-Range`).' },
          304: { description: 'Not modified.' },
          404: problem('No such meme, or not rendered yet (IMAGE_NOT_READY).'),
          416: problem('The range lies outside the image (RANGE_NOT_SATISFIABLE).'),
        },
      },
    },
    '/images/{template}/{lines}': {
      get: {
        tags: ['images'],
        summary: 'memegen.link-compatible image URL',
        description:
          'One path segment per caption with memegen’s escapes (`_` space, `__` underscore, `~q` ?, `~n` newline ...), ' +
          'ending in `.png`, `.jpg` or `.webp`. Renders through the queue when the meme does not exist yet and waits for it.',
        parameters: [
          idParameter('template', 'The template id.'),
          idParameter('lines', 'Captions, e.g. `top_text/bottom_text.jpg`.'),
          { name: 'width', in: 'query', schema: { type: 'integer' } },
          { name: 'height', in: 'query', schema: { type: 'integer' } },
          { name: 'font', in: 'query', schema: { type: 'string', enum: ['anton', 'noto-sans'] } },
          {
            name: 'color',
            in: 'query',
            description: '`<text>,<outline>`, e.g. `white,black`.',
            schema: { type: 'string' },
          },
        ],
        responses: {
          200: imageResponse,
          404: problem('No such template.'),
          422: problem('Bad captions.'),
          503: problem('Still rendering after 30 s.'),
        },
      },
    },
    '/healthz': {
      get: { tags: ['operations'], summary: 'Liveness', responses: { 200: { description: 'The process answers.' } } },
    },
    '/readyz': {
      get: {
        tags: ['operations'],
        summary: 'Readiness',
        responses: {
          200: { description: 'Dependencies reachable.' },
          503: { description: 'A dependency is down, or shutting down.' },
        },
      },
    },
    '/metrics': {
      get: { tags: ['operations'], summary: 'Prometheus metrics', responses: { 200: { description: 'Text format.' } } },
    },
  },
  components: {
    securitySchemes: {
      apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      bearer: { type: 'http', scheme: 'bearer' },
    },
    schemas: {
      MemeSpec: jsonSchemaOf(memeSpecSchema, 'input'),
      Template: jsonSchemaOf(templateSchema, 'output'),
      Meme: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          status: { type: 'string', enum: ['queued', 'done', 'failed'] },
          template: { type: ['string', 'null'] },
          format: { type: 'string', enum: ['png', 'jpg', 'webp'] },
          width: { type: ['integer', 'null'] },
          height: { type: ['integer', 'null'] },
          failureReason: { type: ['string', 'null'] },
          createdAt: { type: 'string', format: 'date-time' },
          renderedAt: { type: ['string', 'null'], format: 'date-time' },
          spec: { $ref: '#/components/schemas/MemeSpec' },
          links: {
            type: 'object',
            properties: {
              self: { type: 'string' },
              image: { type: 'string' },
              events: { type: 'string' },
              memegen: { type: 'string' },
            },
          },
        },
      },
      Problem: {
        type: 'object',
        required: ['type', 'title', 'status', 'detail', 'code'],
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          code: { type: 'string', description: 'Stable, UPPER_SNAKE; see docs/errors.md.' },
          instance: { type: 'string' },
          correlationId: { type: 'string' },
          issues: {
            type: 'array',
            items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
          },
        },
      },
    },
  },
});
