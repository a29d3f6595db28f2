import { MemeRepository, toMemeSnapshot } from '@memelab/pipeline';
import { pngHeader, syntheticBackground } from '@memelab/render/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEvents, startTestStack, type TestStack } from './testing/test-stack.ts';

const ADMIN_KEY = 'test-admin-key-0123456789';
let stack: TestStack;
const url = (path: string): string => `${stack.baseUrl}${path}`;

interface MemeBody {
  id: string;
  status: string;
  created: boolean;
  format: string;
  spec: { captions: string[] };
  links: { self: string; image: string; events: string; memegen?: string };
}

const postMeme = async (body: unknown): Promise<Response> =>
  fetch(url('/api/memes'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const createAndWait = async (body: unknown): Promise<MemeBody> => {
  const created = (await (await postMeme(body)).json()) as MemeBody;
  const done = (await (await fetch(url(`/api/memes/${created.id}?wait=20`))).json()) as MemeBody;
  expect(done.status).toBe('done');
  return done;
};

const problemOf = async (
  response: Response,
): Promise<{ status: number; code: string; issues?: Array<{ path: string }> }> => {
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await response.json()) as { status: number; code: string };
};

const uploadForm = (image: Uint8Array | undefined, config?: unknown): FormData => {
  const form = new FormData();
  if (config !== undefined) form.set('config', typeof config === 'string' ? config : JSON.stringify(config));
  if (image !== undefined) form.set('image', new Blob([image], { type: 'image/png' }), 'image.png');
  return form;
};

beforeAll(async () => {
  stack = await startTestStack({ env: { ADMIN_API_KEY: ADMIN_KEY, RATE_LIMIT_WRITES_PER_MINUTE: '10000' } });
});

afterAll(async () => {
  await stack.stop();
});

describe('creating memes', () => {
  it('accepts a meme with 202, renders it, and serves the image with immutable caching', async () => {
    const response = await postMeme({ template: 'rack-of-doom', captions: ['one does not simply', 'reboot prod'] });
    expect(response.status).toBe(202);
    expect(response.headers.get('x-correlation-id')).toBeTruthy();
    const meme = (await response.json()) as MemeBody;
    expect(meme).toMatchObject({ status: 'queued', created: true, format: 'jpg' });
    expect(response.headers.get('location')).toBe(`/api/memes/${meme.id}`);

    const done = (await (await fetch(url(`${meme.links.self}?wait=20`))).json()) as MemeBody;
    expect(done.status).toBe('done');

    const image = await fetch(url(meme.links.image));
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    expect(image.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const etag = image.headers.get('etag');
    expect(etag).toBe(`"${meme.id}"`);
    const bytes = Buffer.from(await image.arrayBuffer());
    expect(bytes.subarray(0, 3).toString('hex')).toBe('ffd8ff');

    const again = await fetch(url(meme.links.image), { headers: { 'if-none-match': etag ?? '' } });
    expect(again.status).toBe(304);
  });

  it('answers 200 with the same id when the exact meme exists, however the spec is spelled', async () => {
    const first = await createAndWait({ template: 'pager-panic', captions: ['paged at 3am', 'it was DNS'] });
    const second = await postMeme({
      captions: ['paged at 3am  ', 'it was DNS'],
      format: 'jpeg',
      template: 'pager-panic',
    });
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ id: first.id, created: false, status: 'done' });
  });

  it('reports progress over server-sent events until the meme is done', async () => {
    const created = (await (
      await postMeme({ template: 'helm-sunset', captions: ['sailing', 'into prod'] })
    ).json()) as MemeBody;
    const events = await readEvents(url(created.links.events), (seen) =>
      seen.some((event) => (event.data as MemeBody).status === 'done'),
    );
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events.every((event) => event.event === 'status')).toBe(true);
    expect((events.at(-1)?.data as MemeBody | undefined)?.status).toBe('done');
  });

  it('announces newly rendered memes on the live feed', async () => {
    let createdId = '';
    const events = await readEvents(
      url('/api/events'),
      (seen) => seen.some((event) => (event.data as MemeBody).id === createdId),
      15_000,
      async () => {
        createdId = (
          (await (await postMeme({ template: 'cat-on-keyboard', captions: ['feed', 'test'] })).json()) as MemeBody
        ).id;
      },
    );
    expect(events.find((event) => (event.data as MemeBody).id === createdId)?.event).toBe('meme');
  });

  it('shows on the live feed the copy of the meme its event carries, without reading the database', async () => {
    const created = await createAndWait({ template: 'cat-on-keyboard', captions: ['carried', 'copy'] });
    const stored = await new MemeRepository(stack.infrastructure.db).find(created.id);
    if (stored === undefined) throw new Error('the meme was not stored');
    // An id with no row: only the carried copy can put it on the feed.
    const carried = { ...stored, id: 'zzzzzzzzzzzzzzzzzzzzzzzz' };
    const events = await readEvents(
      url('/api/events'),
      (seen) => seen.some((event) => (event.data as MemeBody).id === carried.id),
      10_000,
      async () => {
        // No copy and no row: nothing to show, so the feed skips it.
        await stack.infrastructure.queue.publishEvent({ memeId: 'yyyyyyyyyyyyyyyyyyyyyyyy', status: 'done', at: '' });
        await stack.infrastructure.queue.publishEvent({
          memeId: carried.id,
          status: 'done',
          at: new Date().toISOString(),
          meme: toMemeSnapshot(carried),
        });
      },
    );
    expect(events.map((event) => (event.data as MemeBody).id)).not.toContain('yyyyyyyyyyyyyyyyyyyyyyyy');
    expect(events.find((event) => (event.data as MemeBody).id === carried.id)?.data).toMatchObject({
      status: 'done',
      spec: { captions: ['carried', 'copy'] },
    });
  });

  it('lists recent memes newest first with cursor pagination', async () => {
    for (const caption of ['page one', 'page two', 'page three']) {
      await createAndWait({ template: 'coffee-escalation', captions: [caption] });
    }
    const first = (await (await fetch(url('/api/memes?limit=2'))).json()) as { items: MemeBody[]; nextCursor: string };
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBeTruthy();
    const second = (await (await fetch(url(`/api/memes?limit=2&cursor=${first.nextCursor}`))).json()) as {
      items: MemeBody[];
    };
    const ids = [...first.items, ...second.items].map((item) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(first.items[0]?.spec.captions[0]).toBe('page three');
  });

  it('puts captions on an uploaded background with boxes placed anywhere', async () => {
    const upload = await fetch(url('/api/backgrounds'), {
      method: 'POST',
      body: uploadForm(syntheticBackground(300, 200)),
    });
    expect(upload.status).toBe(201);
    const background = (await upload.json()) as { id: string; width: number };
    expect(background.width).toBe(300);
    const meme = await createAndWait({
      background: background.id,
      boxes: [{ x: 0.1, y: 0.4, width: 0.8, height: 0.2, rotation: 12 }],
      captions: ['anywhere'],
      format: 'png',
    });
    const image = await fetch(url(meme.links.image));
    expect(image.headers.get('content-type')).toBe('image/png');
  });
});

describe('memegen-compatible URLs', () => {
  it('renders on first request and decodes memegen escapes', async () => {
    const response = await fetch(url('/images/rack-of-doom/why~q_not__both/it~sworks-on--my_machine.png'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    const recent = (await (await fetch(url('/api/memes?limit=5'))).json()) as { items: MemeBody[] };
    const meme = recent.items.find((item) => item.spec.captions[0] === 'why? not_both');
    expect(meme?.spec.captions).toEqual(['why? not_both', 'it/works on-my machine']);
    expect(meme?.links.memegen).toBe('/images/rack-of-doom/why~q_not__both/it~sworks_on--my_machine.png');
  });

  it('honours width and colour query parameters', async () => {
    const response = await fetch(url('/images/pager-panic/hello.webp?width=200&color=yellow,black'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/webp');
  });

  it('rejects an unknown template with 404', async () => {
    const problem = await problemOf(await fetch(url('/images/no-such-template/hello.jpg')));
    expect(problem).toMatchObject({ status: 404, code: 'TEMPLATE_NOT_FOUND' });
  });
});

describe('templates', () => {
  it('searches by name and keyword, best matches first', async () => {
    const body = (await (await fetch(url('/api/templates?q=cat'))).json()) as {
      total: number;
      items: Array<{ id: string }>;
    };
    expect(body.total).toBeGreaterThanOrEqual(2);
    expect(body.items[0]?.id).toBe('cat-on-keyboard');
  });

  it('paginates the full list', async () => {
    const all = (await (await fetch(url('/api/templates?limit=100'))).json()) as { total: number };
    const page = (await (await fetch(url('/api/templates?limit=5&offset=5'))).json()) as {
      items: unknown[];
      total: number;
    };
    expect(page.items).toHaveLength(5);
    expect(page.total).toBe(all.total);
  });

  it('serves one template and its image', async () => {
    const template = (await (await fetch(url('/api/templates/galaxy-brain-bulb'))).json()) as {
      textBoxes: unknown[];
      origin: string;
    };
    expect(template.textBoxes).toHaveLength(4);
    expect(template.origin).toBe('bundled');
    const image = await fetch(url('/api/templates/galaxy-brain-bulb/image'));
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    expect((await image.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  });

  it('adds a custom template with the admin key, makes a meme from it, and deletes it', async () => {
    const config = {
      name: 'Test Pattern Upload',
      keywords: ['test'],
      textBoxes: [{ x: 0, y: 0, width: 1, height: 0.3 }],
    };
    const created = await fetch(url('/api/templates'), {
      method: 'POST',
      headers: { 'x-api-key': ADMIN_KEY },
      body: uploadForm(syntheticBackground(320, 240), config),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      id: 'test-pattern-upload',
      origin: 'custom',
      width: 320,
      height: 240,
    });
    await createAndWait({ template: 'test-pattern-upload', captions: ['custom!'] });

    const duplicate = await fetch(url('/api/templates'), {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
      body: uploadForm(syntheticBackground(320, 240), config),
    });
    expect(await problemOf(duplicate)).toMatchObject({ status: 409, code: 'TEMPLATE_EXISTS' });

    const deleted = await fetch(url('/api/templates/test-pattern-upload'), {
      method: 'DELETE',
      headers: { 'x-api-key': ADMIN_KEY },
    });
    expect(deleted.status).toBe(204);
    expect((await fetch(url('/api/templates/test-pattern-upload'))).status).toBe(404);
  });
});

describe('bad input gets a clear 4xx problem, never a 500', () => {
  const cases: Array<[string, () => Promise<Response>, number, string]> = [
    [
      'invalid JSON',
      () =>
        fetch(url('/api/memes'), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"template":',
        }),
      400,
      'INVALID_JSON',
    ],
    [
      'a non-JSON content type',
      () => fetch(url('/api/memes'), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a body over the limit',
      () => postMeme({ template: 'rack-of-doom', captions: ['x'.repeat(70_000)] }),
      413,
      'BODY_TOO_LARGE',
    ],
    [
      'a caption longer than 500 characters',
      () => postMeme({ template: 'rack-of-doom', captions: ['x'.repeat(501)] }),
      422,
      'INVALID_MEME_SPEC',
    ],
    ['a spec that is not an object', () => postMeme(['rack-of-doom']), 422, 'INVALID_MEME_SPEC'],
    ['an unknown template', () => postMeme({ template: 'nope', captions: ['x'] }), 404, 'TEMPLATE_NOT_FOUND'],
    [
      'more captions than boxes',
      () => postMeme({ template: 'caption-bar-duck', captions: ['a', 'b'] }),
      422,
      'TOO_MANY_CAPTIONS',
    ],
    [
      'an unknown background',
      () => postMeme({ background: 'a'.repeat(24), boxes: [{ x: 0, y: 0, width: 1, height: 1 }] }),
      404,
      'BACKGROUND_NOT_FOUND',
    ],
    ['a malformed meme id', () => fetch(url('/api/memes/not-an-id')), 400, 'INVALID_PATH'],
    ['an unknown meme', () => fetch(url(`/api/memes/${'a'.repeat(24)}`)), 404, 'MEME_NOT_FOUND'],
    ['a wait over 30 seconds', () => fetch(url(`/api/memes/${'a'.repeat(24)}?wait=99`)), 400, 'INVALID_QUERY'],
    ['events for an unknown meme', () => fetch(url(`/api/memes/${'a'.repeat(24)}/events`)), 404, 'MEME_NOT_FOUND'],
    ['a bad page size', () => fetch(url('/api/memes?limit=0')), 400, 'INVALID_QUERY'],
    ['a forged cursor', () => fetch(url('/api/memes?cursor=Zm9vYmFy')), 400, 'INVALID_QUERY'],
    ['an image of an unknown meme', () => fetch(url(`/m/${'a'.repeat(24)}.jpg`)), 404, 'MEME_NOT_FOUND'],
    ['a malformed image name', () => fetch(url('/m/../../etc/passwd')), 404, 'NOT_FOUND'],
    ['an image with a bad extension', () => fetch(url(`/m/${'a'.repeat(24)}.gif`)), 400, 'INVALID_PATH'],
    ['an unknown template id', () => fetch(url('/api/templates/NOT_VALID')), 400, 'INVALID_PATH'],
    ['a missing template', () => fetch(url('/api/templates/missing-one')), 404, 'TEMPLATE_NOT_FOUND'],
    ['a search with a bad limit', () => fetch(url('/api/templates?limit=1000')), 400, 'INVALID_QUERY'],
    ['an unknown route', () => fetch(url('/api/nothing-here')), 404, 'NOT_FOUND'],
    [
      'a template upload without a key',
      () => fetch(url('/api/templates'), { method: 'POST', body: uploadForm(syntheticBackground(64, 64), {}) }),
      401,
      'ADMIN_KEY_REQUIRED',
    ],
    [
      'a template upload with a wrong key',
      () =>
        fetch(url('/api/templates'), {
          method: 'POST',
          headers: { 'x-api-key': 'wrong-key-wrong-key' },
          body: uploadForm(syntheticBackground(64, 64), {}),
        }),
      403,
      'ADMIN_KEY_INVALID',
    ],
    [
      'a template upload with a bad config',
      () =>
        fetch(url('/api/templates'), {
          method: 'POST',
          headers: { 'x-api-key': ADMIN_KEY },
          body: uploadForm(syntheticBackground(64, 64), { name: 'x', textBoxes: [] }),
        }),
      422,
      'INVALID_TEMPLATE',
    ],
    [
      'a template upload with config that is not JSON',
      () =>
        fetch(url('/api/templates'), {
          method: 'POST',
          headers: { 'x-api-key': ADMIN_KEY },
          body: uploadForm(syntheticBackground(64, 64), '{nope'),
        }),
      400,
      'INVALID_JSON',
    ],
    [
      'a template upload without an image',
      () =>
        fetch(url('/api/templates'), {
          method: 'POST',
          headers: { 'x-api-key': ADMIN_KEY },
          body: uploadForm(undefined, { name: 'x', textBoxes: [{ x: 0, y: 0, width: 1, height: 1 }] }),
        }),
      400,
      'IMAGE_REQUIRED',
    ],
    [
      'deleting a bundled template',
      () => fetch(url('/api/templates/rack-of-doom'), { method: 'DELETE', headers: { 'x-api-key': ADMIN_KEY } }),
      409,
      'TEMPLATE_READ_ONLY',
    ],
    [
      'deleting a missing template',
      () => fetch(url('/api/templates/missing-one'), { method: 'DELETE', headers: { 'x-api-key': ADMIN_KEY } }),
      404,
      'TEMPLATE_NOT_FOUND',
    ],
    [
      'a background that is not an image',
      () => fetch(url('/api/backgrounds'), { method: 'POST', body: uploadForm(Buffer.from('not an image')) }),
      415,
      'UNSUPPORTED_IMAGE_TYPE',
    ],
    [
      'a background that is a decompression bomb',
      () => fetch(url('/api/backgrounds'), { method: 'POST', body: uploadForm(pngHeader(60_000, 60_000)) }),
      413,
      'IMAGE_TOO_MANY_PIXELS',
    ],
    [
      'a background over 10 MiB',
      () => fetch(url('/api/backgrounds'), { method: 'POST', body: uploadForm(Buffer.alloc(10 * 1024 * 1024 + 10)) }),
      413,
      'IMAGE_TOO_LARGE',
    ],
    [
      'a background sent as JSON',
      () =>
        fetch(url('/api/backgrounds'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
      415,
      'MULTIPART_REQUIRED',
    ],
    [
      'a background upload without a file',
      () => fetch(url('/api/backgrounds'), { method: 'POST', body: uploadForm(undefined, {}) }),
      400,
      'IMAGE_REQUIRED',
    ],
  ];

  it.each(cases)('%s', async (_name, request, status, code) => {
    const response = await request();
    expect(response.status).toBe(status);
    expect(await problemOf(response)).toMatchObject({ status, code });
  });

  it('lists every spec problem at once', async () => {
    const problem = await problemOf(
      await postMeme({ template: 'rack-of-doom', captions: 'x', format: 'bmp', width: 1 }),
    );
    expect(problem.issues?.map((issue) => issue.path).sort()).toEqual(['captions', 'format', 'width']);
  });

  it('echoes a client correlation id in the header and the problem', async () => {
    const response = await fetch(url('/api/templates/missing-one'), {
      headers: { 'x-correlation-id': 'trace-me-123' },
    });
    expect(response.headers.get('x-correlation-id')).toBe('trace-me-123');
    expect(await response.json()).toMatchObject({ correlationId: 'trace-me-123' });
  });
});

describe('operations', () => {
  it('serves liveness, readiness with each dependency, and Prometheus metrics', async () => {
    expect((await fetch(url('/healthz'))).status).toBe(200);
    const ready = await fetch(url('/readyz'));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      ready: true,
      checks: { database: { ok: true }, broker: { ok: true }, objects: { ok: true } },
    });
    const metrics = await (await fetch(url('/metrics'))).text();
    expect(metrics).toMatch(
      /memelab_http_request_duration_seconds_count\{method="POST",route="\/api\/memes",status="202"\}/,
    );
    expect(metrics).toMatch(/memelab_jobs_published_total\{via="api"\} \d+/);
    expect(metrics).toMatch(/memelab_worker_jobs_total\{outcome="done"\} \d+/);
    expect(metrics).toMatch(/memelab_render_duration_seconds_bucket/);
    expect(metrics).toMatch(/memelab_queue_depth\{queue="render"\} \d+/);
  });

  it('publishes the OpenAPI document and a docs page', async () => {
    const document = (await (await fetch(url('/api/openapi.json'))).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/memes', '/api/memes/{id}', '/m/{file}']));
    const docs = await fetch(url('/api/docs/'));
    expect(docs.status).toBe(200);
    expect(await docs.text()).toMatch(/swagger/i);
  });

  it('serves a page at /', async () => {
    const page = await fetch(url('/'));
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/memelab/);
  });
});

describe('rate limiting', () => {
  it('answers 429 RATE_LIMITED with Retry-After once a client exceeds its writes per minute', async () => {
    const limited = await startTestStack({ env: { RATE_LIMIT_WRITES_PER_MINUTE: '2' }, worker: false });
    try {
      const post = () =>
        fetch(`${limited.baseUrl}/api/memes`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ template: 'rack-of-doom', captions: ['limit'] }),
        });
      expect((await post()).status).toBe(202);
      expect((await post()).status).toBe(202); // no worker here: the meme is still queued
      const third = await post();
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await problemOf(third)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      // Reads are not limited.
      expect((await fetch(`${limited.baseUrl}/api/templates`)).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });

  it('reports not ready once shutting down', async () => {
    const stopping = await startTestStack({ worker: false });
    try {
      stopping.readiness.markShuttingDown();
      const response = await fetch(`${stopping.baseUrl}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ ready: false, shuttingDown: true });
    } finally {
      await stopping.stop();
    }
  });
});
