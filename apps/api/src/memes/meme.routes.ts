import type { MemeRenderedEvent, ObjectCache } from '@memelab/adapters';
import { AppError, OUTPUT_FORMATS } from '@memelab/core';
import { currentCorrelationId, parseRequestPart } from '@memelab/platform';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { MemeEventHub } from '../events/meme-event-hub.ts';
import type { ApiMetrics } from '../http/api.metrics.ts';
import { openEventStream } from '../http/server-sent-events.ts';
import { presentMeme } from './meme.presenter.ts';
import type { MemeService } from './meme.service.ts';
import { sendMemeImage } from './meme-image.ts';

export interface MemeRoutesDeps {
  readonly memes: MemeService;
  readonly hub: MemeEventHub;
  /** Hot images in memory, over the object store. */
  readonly images: ObjectCache;
  readonly metrics: ApiMetrics;
  readonly writeRateLimit: { max: number; timeWindow: number };
}

const MAX_WAIT_SECONDS = 30;
const memeIdParams = z.object({ id: z.string().regex(/^[a-z2-7]{24}$/, 'a meme id is 24 base32 characters') });
const waitQuery = z.object({ wait: z.coerce.number().min(0).max(MAX_WAIT_SECONDS).default(0) });
const recentQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(24),
  cursor: z
    .string()
    .optional()
    .transform((value, ctx) => (value === undefined ? undefined : decodeCursor(value, ctx))),
});
const imageParams = z.object({
  file: z.string().regex(/^[a-z2-7]{24}\.(png|jpg|jpeg|webp)$/, 'expected <meme id>.<png|jpg|webp>'),
});

/** Opaque cursors: base64url of `<rendered at ms>.<id>`. */
const encodeCursor = (renderedAt: Date, id: string): string =>
  Buffer.from(`${renderedAt.getTime()}.${id}`).toString('base64url');

function decodeCursor(value: string, ctx: z.RefinementCtx): { renderedAt: Date; id: string } {
  const [ms, id] = Buffer.from(value, 'base64url').toString().split('.');
  const time = Number(ms);
  if (!Number.isSafeInteger(time) || id === undefined || !/^[a-z2-7]{24}$/.test(id)) {
    ctx.addIssue({ code: 'custom', message: 'not a cursor from this API' });
    return z.NEVER;
  }
  return { renderedAt: new Date(time), id };
}

export const registerMemeRoutes = (app: FastifyInstance, deps: MemeRoutesDeps): void => {
  const { memes, hub, images, metrics } = deps;

  app.post('/api/memes', { config: { rateLimit: deps.writeRateLimit } }, async (request, reply) => {
    const { meme, created } = await memes.create(request.body, currentCorrelationId());
    const status = meme.status === 'done' ? 200 : 202;
    return reply
      .code(status)
      .header('location', `/api/memes/${meme.id}`)
      .send({ ...presentMeme(meme), created });
  });

  app.get('/api/memes/:id', async (request, reply) => {
    const { id } = parseRequestPart(memeIdParams, request.params, 'INVALID_PATH');
    const { wait } = parseRequestPart(waitQuery, request.query, 'INVALID_QUERY');
    const aborted = new AbortController();
    request.raw.once('close', () => aborted.abort());
    const meme = await memes.waitUntilSettled(id, wait * 1000, aborted.signal);
    return reply.header('cache-control', 'no-store').send(presentMeme(meme));
  });

  app.get('/api/memes/:id/events', async (request, reply) => {
    const { id } = parseRequestPart(memeIdParams, request.params, 'INVALID_PATH');
    const first = await memes.get(id);
    const stream = openEventStream(request, reply);
    metrics.eventStreams.inc();
    stream.onClose(() => metrics.eventStreams.dec());
    const sendState = async (event: MemeRenderedEvent): Promise<void> => {
      const meme = await memes.settledBy(event);
      stream.send('status', presentMeme(meme));
      if (meme.status !== 'queued') stream.close();
    };
    // Subscribe before sending the first state, so a render that finishes in between is seen.
    const stop = hub.onMeme(id, (event) => {
      void sendState(event).catch(() => stream.close());
    });
    stream.onClose(stop);
    stream.send('status', presentMeme(first));
    if (first.status !== 'queued') stream.close();
  });

  app.get('/api/memes', async (request, reply) => {
    const { limit, cursor } = parseRequestPart(recentQuery, request.query, 'INVALID_QUERY');
    const items = await memes.recent(limit, cursor);
    const last = items.at(-1);
    const nextCursor =
      items.length === limit && last?.renderedAt != null ? encodeCursor(last.renderedAt, last.id) : null;
    return reply.header('cache-control', 'no-store').send({
      items: items.map(presentMeme),
      nextCursor,
      links: nextCursor === null ? {} : { next: `/api/memes?limit=${limit}&cursor=${nextCursor}` },
    });
  });

  app.get('/api/events', async (request, reply) => {
    const stream = openEventStream(request, reply);
    metrics.eventStreams.inc();
    stream.onClose(() => metrics.eventStreams.dec());
    const stop = hub.onAny((event) => {
      if (event.status !== 'done') return;
      void memes
        .settledBy(event)
        .then((meme) => stream.send('meme', presentMeme(meme), meme.id))
        .catch(() => {});
    });
    stream.onClose(stop);
  });

  app.route({
    method: ['GET', 'HEAD'],
    url: '/m/:file',
    handler: async (request, reply) => {
      const { file } = parseRequestPart(imageParams, request.params, 'INVALID_PATH');
      const [id = '', extension = ''] = file.split('.');
      const format = extension === 'jpeg' ? 'jpg' : extension;
      const meme = await memes.get(id);
      if (meme.format !== format || !(OUTPUT_FORMATS as readonly string[]).includes(format)) {
        throw new AppError('MEME_NOT_FOUND', `Meme "${id}" is a ${meme.format}, not a ${format}.`, { status: 404 });
      }
      return sendMemeImage(request, reply, meme, images);
    },
  });
};
